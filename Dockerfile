# Jazz LSTM Studio in a container: the Streamlit page on port 8501, FluidSynth with the FluidR3 GM soundfont.
#   docker build -t jazz-lstm-studio .
#   docker run --rm -p 8501:8501 jazz-lstm-studio        then open http://localhost:8501
# The port and the upload limit come from .streamlit/config.toml, copied in below (tests/test_deploy.py checks
# that EXPOSE and the health check agree with it).
FROM python:3.11-slim-bookworm

# FluidSynth's library (pyfluidsynth loads it) and the General MIDI soundfont the page plays with.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libfluidsynth3 fluid-soundfont-gm \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TF_CPP_MIN_LOG_LEVEL=2

WORKDIR /app
# The pinned requirements first, so that a change to the code alone does not reinstall TensorFlow.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 jazz
USER jazz

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0"]
