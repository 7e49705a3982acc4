// The `--help` discussions of the decoding commands: generate, sample, beam, prob, check, serve
// (see CommandHelp.swift).

extension CommandHelp {
    public static let beam = """
    The search is `lmlab generate --strategy beam` (transformers' semantics). With --tree every ranked candidate is \
    a node: ● kept as a running beam, ✗ pruned, ◆ finished, ○ finished but not good enough. Each node shows its \
    token, its step log P, Σ log P and its length-normalised score. --format dot writes Graphviz (`| dot -Tpng`), \
    --format json the tree as data.

    Examples:
      lmlab beam "I love my" --model tiny-ernie --beams 4 --max-new-tokens 6 --tree
      lmlab beam "I love my" --model tiny-ernie --beams 3 --steps 4 --tree \\
          --format dot > beam.dot
      lmlab beam --ids 1,883 --model path/to/folder --beams 2 --steps 3 --tree \\
          --format json
    """

    public static let checkGreedy = """
    The server must serve the same weights and tokenizer as --model (e.g. llama.cpp's server on a GGUF \
    export of the folder: scripts/llamacpp_check.sh). Prompts are sent as text. --bos starts every prompt with <s> \
    on both sides: the lab puts the BOS id first and sends the literal text <s> (servers tokenize special \
    tokens in text; ERNIE's files say add_bos_token false); add --server-adds-bos when the server puts BOS \
    in front itself (a GGUF with add_bos_token true), so nothing is sent. Requests ask for temperature 0 \
    and repeat_penalty 1 (llama.cpp's server applies 1.1 by default, even at temperature 0).

    Examples:
      lmlab check greedy --model tiny-ernie --api http://127.0.0.1:8080
      lmlab check greedy --model ernie-4.5-0.3b --api http://gpu-box:8000 \\
          --prompt "The capital of France is" --max-new-tokens 32
    """

    public static let generate = """
    Sampling processors apply in transformers' order: temperature → top-k → top-p → min-p. \
    Sampling draws with a seeded xoshiro256** generator, so a seed reproduces a run on every machine. \
    Beam search follows transformers' generate(num_beams=…): --length-penalty α ranks finished sequences by \
    log P / length^α; --early-stopping stops as soon as --beams sequences have finished, --never-stop-early \
    is early_stopping="never". The text is tokenized without <s> unless --bos. With --chat the answer ends at \
    the end-of-turn token.

    Examples:
      lmlab generate "The capital of France is" --model ernie-4.5-0.3b \\
          --max-new-tokens 10
      lmlab generate "Once upon a time" --model ernie-4.5-0.3b --strategy sample \\
          --top-p 0.9 --seed 7
      lmlab generate --ids 1,93938 --model path/to/folder --strategy beam \\
          --beams 4 --num-return 2 --json
      lmlab generate "The capital of France is" --model ~/ernie-21b-tok \\
          --api http://127.0.0.1:8000    # a server's model (docs/SERVING.md)
    """

    public static let prob = """
    The first token fed to the model is context only. With --bos (the default for plain text) <s> goes \
    first, so every token of the text is scored; with --no-bos the text's first token cannot be scored \
    and is listed without a probability. --chat wraps the text in ERNIE's chat template as a user turn \
    (no <s>, the template starts with <|begin_of_sentence|>). --ids scores the given ids as they are: \
    every id after the first.

    Examples:
      lmlab prob "hello, world" --model ernie-4.5-0.3b
      lmlab prob "hello, world" --model ernie-4.5-0.3b \\
          --compare ernie-4.5-0.3b-base
      lmlab prob --ids 1,18830,93938,3135 --model path/to/folder --json
      lmlab prob "hello, world" --model tiny-ernie --compare tiny-ernie \\
          --compare-precision int8
      lmlab prob "hello, world" --model tiny-ernie --api http://127.0.0.1:8080
    """

    public static let sample = """
    Without --show-dist this is `lmlab generate --strategy sample`. With --show-dist it looks at one step: the \
    model's distribution for the next token (raw), the distribution after the processors (what a token is drawn \
    from), the entropy of each, how many tokens survive, and one seeded draw.

    Examples:
      lmlab sample "Once upon a time" --model tiny-ernie --temperature 0.7 \\
          --top-p 0.9 --seed 1
      lmlab sample "Once upon a time" --model tiny-ernie --show-dist \\
          --temperature 0.5 --top 15
      lmlab sample --ids 1,883,2456 --model path/to/folder --show-dist --top-k 5 \\
          --json
    """

    public static let serve = """
    Endpoints: GET /v1/models, POST /v1/completions (text or token-id prompt, echo with the prompt's \
    log-probs, logprobs, stream, n, stop, seed, return_tokens_as_token_ids) and POST /v1/chat/completions \
    (ERNIE's chat template). Temperature 0 is the lab's greedy decoder exactly. Requests are queued and run one \
    at a time. The first line printed is the URL. Loopback only unless --host says otherwise.

    Examples:
      lmlab serve --model tiny-ernie
      lmlab serve --model ernie-4.5-0.3b --port 0 --api-key secret
      lmlab exercise check greedy_decoder --api http://127.0.0.1:8080
    """
}
