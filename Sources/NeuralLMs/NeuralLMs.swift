// NeuralLMs — language models that learn their parameters with Autograd instead of counting: Bengio's NNLM
// (https://www.jmlr.org/papers/v3/bengio03a.html), Elman RNN and GRU language models, and the GRU encoder–decoder with
// Bahdanau attention (https://arxiv.org/abs/1409.0473). Each is a `LanguageModel`, so every decoder and explorer of
// the lab works on it.
