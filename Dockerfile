# syntax=docker/dockerfile:1
# navpanel's image, built as NAV's Python template (navikt/python-mal-2025) builds: uv installs
# the project's own Python (3.11) and dependencies in a builder, and the runtime is Chainguard's
# minimal Python image with that Python copied in. Front-end assets come from npm in their own
# stage; static files are collected and compressed at build time, so the running container
# writes nothing but under /tmp. README, "Production": how it is built, run and deployed.

# --- front-end assets: NAV's design system CSS, htmx, the font --------------------------------
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

# --- Python, the dependencies, the code, static files ------------------------------------------
FROM ghcr.io/astral-sh/uv:0.9.18-trixie-slim AS builder
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_INSTALL_DIR=/python \
    UV_PYTHON_PREFERENCE=only-managed
WORKDIR /app
RUN uv python install 3.11 && uv venv --python 3.11 /app/.venv
COPY requirements.txt ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --python /app/.venv/bin/python -r requirements.txt
COPY . /app
COPY --from=assets /build/node_modules /app/node_modules
# collectstatic needs settings that load; the key is used for nothing and never leaves the stage.
RUN DJANGO_SETTINGS_MODULE=navpanel.settings_production \
    SECRET_KEY=collectstatic-at-build-time-only \
    NAVPANEL_VAR_DIR=/tmp/build \
    /app/.venv/bin/python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /app/node_modules /tmp/build

# --- runtime ------------------------------------------------------------------------------------
FROM cgr.dev/chainguard/python:latest
COPY --from=builder /python /python
COPY --from=builder /app /app
WORKDIR /app
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=navpanel.settings_production \
    NAVPANEL_VAR_DIR=/tmp/navpanel \
    LOG_FORMAT=json \
    PORT=8080
# NAIS runs every container as uid/gid 1069 on a read-only root with /tmp writable; so does this.
USER 1069:1069
EXPOSE 8080
ENTRYPOINT ["/app/.venv/bin/python", "-m", "navpanel.entrypoint"]
CMD ["web"]
