// One setting the store keeps for every face (the day analyses are judged on: graphmap/asof.py).
// $id: the setting's key
// Columns: value
MATCH (s:Setting {id: $id})
RETURN s.value AS value
