"""The import's progress bar on a terminal: every row counted, rich drawn a few times a second, not per row
(rich's rate over its last thousand samples cost ~100 µs a call, which doubled a terminal import's check)."""

import io

from rich.console import Console
from rich.progress import Progress

from graphmap.cli import _Bar


def test_the_bar_counts_every_row_but_draws_rarely():
    progress = Progress(console=Console(file=io.StringIO(), force_terminal=True))
    drawn = 0
    advance = progress.advance

    def counted(task, rows):
        nonlocal drawn
        drawn += 1
        advance(task, rows)

    progress.advance = counted  # type: ignore[method-assign]
    with progress:
        bar = _Bar(progress)
        bar.start("checking", 50_000)
        for _ in range(50_000):
            bar.advance(1)
        bar.draw()
        assert progress.tasks[0].completed == 50_000
        assert drawn < 1_000  # a row at a time, the bar was drawn 50,000 times
        bar.start("writing", 10)  # the next phase starts from nothing
        bar.advance(4)
        bar.draw()
        assert progress.tasks[-1].completed == 4
