// ErnieTraining — the tiny ERNIE: ERNIE-4.5's architecture (RMSNorm, interleaved RoPE, grouped-query attention,
// SwiGLU, tied embeddings) as an Autograd model the lab trains on its own corpus, then saves in the Hugging Face layout
// so the inference engine in `ERNIE` serves it exactly as it serves ERNIE-4.5-0.3B.
