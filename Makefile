# stepgrad: every target does its own set-up, so `make train` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test lint bench train reproduce-mlp reproduce-lenet graphviz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory graphviz
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The system `dot` binary renders graphs; install it when we can, otherwise say how.
graphviz:
	@if command -v dot >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
		echo "graphviz's 'dot' is missing: install it with 'sudo apt-get install graphviz' (or your system's package manager)"; \
	fi

test: install
	$(PY) -m pytest
	NUMBA_DISABLE_JIT=1 $(PY) -m pytest tests/autograd

lint: install
	$(VENV)/bin/ruff check autograd nn optim data stepgrad tests bench

# Benchmarks print `name: value unit` lines and ratios against baselines timed in the same run (numpy, and
# PyTorch when it is installed in the venv). They are never tests.
bench: install
	$(PY) bench/overhead.py
	$(PY) bench/conv.py
	$(PY) bench/mlp.py
	$(PY) bench/lenet.py

# The main job: LeNet-5 on the bundled MNIST, 15 epochs with random shifts of up to 2 pixels (README, "Results").
train: install
	$(PY) -m stepgrad.train

# The classic table's results (README, "Results").
reproduce-mlp: install
	$(PY) -m stepgrad.train --model mlp --epochs 20 --lr 0.05 --momentum 0.9 --weight-decay 1e-4

reproduce-lenet: install
	$(PY) -m stepgrad.train --model lenet5 --epochs 20 --shift 0 --lr 0.01 --weight-decay 5e-4

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
