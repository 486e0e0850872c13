"""stepgrad's command line and reference models (the packages themselves are autograd, nn, optim and data)."""
