// The `--help` discussions of the commands that open ERNIE-format models: attention, layer, lens, moe, probe,
// inspect, models, load, download, tokenize (see CommandHelp.swift).

extension CommandHelp {
    public static let attention = """
    Examples:
      lmlab attention steps --tokens 3 --dim 4
      lmlab attention heads --heads 4 --kv-heads 2
      lmlab attention map "The dog says woof." --model tiny-ernie \\
          --layer 1 --head 0
    """

    public static let attentionMap = """
    Row i is query token i, column j key token j: how much of token j's value token i takes. Above the \
    diagonal is masked (·): a decoder cannot look ahead. --explore opens the heatmap full screen, where ↑/↓ \
    walk the layers and ←/→ the heads of the same forward pass.

    Examples:
      lmlab attention map "The dog says woof." --model tiny-ernie \\
          --layer 1 --head 0
      lmlab attention map "The dog says woof." --model tiny-ernie --explore
    """

    public static let download = """
    NAME is a short name from Models/catalog.json (`lmlab models` lists them) or any ORG/REPO on the Hub. \
    Files go where huggingface_hub puts them ($HF_HUB_CACHE, else $HF_HOME/hub, else \
    ~/.cache/huggingface/hub), so transformers and huggingface-cli see them too. An interrupted download \
    resumes where it stopped; large files are checked against the Hub's SHA-256.

    Where huggingface.co is out of reach, `--source modelscope` fetches the same files from ModelScope \
    (modelscope.cn, where Baidu publishes ERNIE 4.5 as PaddlePaddle/…; the catalog knows the names) into \
    the same cache folder; or HF_ENDPOINT names a mirror of the Hugging Face Hub.

    Environment: HF_ENDPOINT (a mirror of the Hub), HF_TOKEN (for gated or private repositories), \
    MODELSCOPE_DOMAIN (another ModelScope host).

    Examples:
      lmlab download ernie-4.5-0.3b
      lmlab download ernie-4.5-0.3b --source modelscope
      lmlab download baidu/ERNIE-4.5-0.3B-Base-PT --revision main
      HF_ENDPOINT=https://<mirror> lmlab download ernie-4.5-0.3b
    """

    public static let inspect = """
    Reads config.json and the safetensors header only (no weights are loaded), so it is instant even for the \
    0.3B model.

    Examples:
      lmlab inspect tiny-ernie
      lmlab inspect ernie-4.5-0.3b --json
    """

    public static let layerRoPE = """
    The scores depend on m and n only through the offset m − n: the same offset at other absolute positions \
    gives the same q·k, another offset (or the opposite sign) another one.

    Examples:
      lmlab layer rope
      lmlab layer rope --positions "5:2,105:102,2:5" --theta 10000
    """

    public static let layerRMSNorm = """
    Examples:
      lmlab layer rmsnorm --x "3,-1,2,0.5"
      lmlab layer rmsnorm --x "30,-10,20,5" --gain "1,2,0.5,1"
    """

    public static let layerSwiGLU = """
    Examples:
      lmlab layer swiglu
      lmlab layer swiglu --gate "-6,-2,0,2,6" --up "1,1,1,1,1"
    """

    public static let lens = """
    Every cell is the top prediction read from the residual stream after that layer, with its probability. The \
    last row is the model's real output. The header row names the token at each position and, under it, the \
    token that actually follows; ✓ marks a layer whose top prediction is that token.

    --json prints {tokens, pieces, top[layer][position], next_logprob[layer][position]}.

    Examples:
      lmlab lens "Paris is the capital of France." --model tiny-ernie
      lmlab lens "The dog says woof." --model tiny-ernie --positions 4 --json
      lmlab lens "Paris is the capital of France." --model tiny-ernie --explore
    """

    public static let load = """
    Works in the REPL (`lmlab repl`) and in lesson cells, where a session lasts; a single `lmlab load` call ends \
    with its process, so there it only says so. With no arguments it lists the session's names. Names are for \
    the ERNIE-format models (tiny-ernie, tiny-ernie-instruct, ERNIE-4.5 folders).

    Examples:
      load base tiny-ernie
      load instruct tiny-ernie-instruct
      prob "The cat says meow." --model base --compare instruct
      load --forget base
    """

    public static let models = """
    Hub models are looked for in Models/<name>/ and in the Hugging Face cache ($HF_HUB_CACHE, \
    $HF_HOME/hub, ~/.cache/huggingface/hub), exactly as --model NAME looks for them.

    --json prints [{name, kind, repo_id, found_in, path, size_on_disk, dtype, ready, missing, note}].

    Examples:
      lmlab models
      lmlab models --json
    """

    public static let moeRoute = """
    The router scores every expert for every token (softmax p), adds the correction bias b to choose the top k, \
    and mixes the chosen experts with their own p, renormalised. A token marked "bias:" would have gone to other \
    experts without b; the load line counts the tokens each expert received.

    --json prints {tokens, pieces, layers: [{layer, chosen, weights, unbiased, load}]}.

    Examples:
      lmlab moe route "The cat sat on the mat." --model tiny-ernie-moe
      lmlab moe route "The cat sat on the mat." --model tiny-ernie-moe \\
          --layer 1 --json
      lmlab moe route "The cat sat on the mat." --model tiny-ernie-moe --explore
    """

    public static let probe = """
    Reports whether the server answers, its model, whether `echo: true` returns the prompt's log-probs, the \
    largest `logprobs` N it accepts, whether tokens carry ids, and whether the log-probs look raw (log softmax \
    of the logits) or processed (after temperature, top-k…), or "unknown" when the answers cannot tell.

    Examples:
      lmlab probe http://127.0.0.1:8000
      lmlab probe 127.0.0.1:8080 --json
    """

    public static let tokenize = """
    --model takes a model folder (with tokenizer.model and its json files), a bare tokenizer.model file, \
    or a model name that lmlab can locate (e.g. ernie-4.5-0.3b). Text that begins with "-" goes after "--".

    --json prints {"ids": [...], "pieces": [...], "decoded": "..."}.

    Examples:
      lmlab tokenize "Hello, world!" --model ernie-4.5-0.3b
      lmlab tokenize "我爱我的猫" --model path/to/tokenizer.model --json
      lmlab tokenize "Hello!" --model ernie-4.5-0.3b --chat
      lmlab tokenize --model ernie-4.5-0.3b -- "-5 degrees"
    """
}
