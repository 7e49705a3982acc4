// The `--help` discussions of the bench commands (see CommandHelp.swift).

extension CommandHelp {
    public static let benchKernels = """
    Reports the streaming-read bandwidth (sum over 1 GiB), the bf16 matrix-vector product at \
    ERNIE-4.5-0.3B's shapes 3072×1024 and 103424×1024 (GB/s and its fraction of the stream bandwidth), \
    and the f32 matrix product 512×1024×3072 (GFLOP/s). Each repetition runs every kernel once; each figure \
    is the median over --repetitions (the fraction is taken within each repetition). \
    Numbers depend on what else the machine is doing: the load average is printed with them.

    --json keys: stream_read_gbps, bf16_matvec_gbps, matmul_gflops, …

    Examples:
      swift run -c release lmlab bench kernels
      swift run -c release lmlab bench kernels --threads 1 --json
    """

    public static let benchTokenize = """
    Encodes every line of --text with --model, --repeats times, and reports the fastest pass in MB/s \
    with the token count and an FNV-1a digest of all ids (the same digest scripts/bench_spm.py computes \
    for the sentencepiece library, so equal digests mean identical ids).

    --json keys: bytes, lines, tokens, seconds, mb_per_s, cpu_seconds, mb_per_cpu_s, digest, load_ms, build.

    Examples:
      swift run -c release lmlab bench tokenize --model tokenizer.model \\
          --text corpus.txt
      python3 scripts/bench_spm.py --lmlab .build/release/lmlab
    """

    public static let benchExplorers = """
    Each sample is one key handled by the explorer page plus one full redraw, as in the notebook. Use a release \
    build; the issue's targets are ≤ 30 ms per slider change and ≤ 50 ms per beam step on the tiny ERNIE.

    Examples:
      swift run -c release lmlab bench explorers
      swift run -c release lmlab bench explorers --model tiny-ernie --beams 4 \\
          --steps 16 --json
    """

    public static let benchEngine = """
    Runs one bf16 product of prefill's shape (64 tokens × the 0.3B's 3072 × 1024 gate_proj, seeded random \
    weights, nothing downloaded or written) with the engine's own path and with the widened-f32 fallback. On \
    a CPU without AMX both take the fallback, and the report says so.

    Examples:
      lmlab bench engine
    """

    public static let benchDecode = """
    Loads the model (memory-mapped), prefills a --prompt-tokens prompt of seeded token ids, then runs \
    --tokens single-token decode steps, each feeding back the most likely token. Reports decode tokens/s, \
    the median ms per token, the weight bandwidth (bytes of weight matrices read per token × tokens/s), the \
    time from model loading to the first logits (a --precision conversion included), and the peak RSS. \
    Threads: --threads, LMLAB_THREADS or all cores; --no-fused-matvec and the other switches below time the \
    engine without one of its speed-ups.

    Examples:
      swift run -c release lmlab bench decode --random-0.3b
      swift run -c release lmlab bench decode --model ~/models/ERNIE-4.5-0.3B-PT \\
          --tokens 128 --json
      swift run -c release lmlab bench decode --random-0.3b --no-fused-matvec
      swift run -c release lmlab bench decode --random-moe --precision int4
    """

    public static let benchPrefill = """
    Loads the model (memory-mapped) and feeds a --tokens prompt of seeded token ids in one call to an \
    empty KV cache, keeping only the last position's logits. Reports prefill tokens/s, the time from model \
    loading to those logits (a --precision conversion included), and the peak RSS. Threads: --threads, \
    LMLAB_THREADS or all cores.

    Examples:
      swift run -c release lmlab bench prefill --random-0.3b
      swift run -c release lmlab bench prefill --model ~/models/ERNIE-4.5-0.3B-PT \\
          --tokens 128 --json
      swift run -c release lmlab bench prefill --random-0.3b --no-amx
    """

    public static let benchBeam = """
    Loads the model (memory-mapped), prefills a --prompt-tokens prompt of seeded token ids once to warm the \
    page cache, then runs --beams sequential greedy runs of --tokens new tokens each and one beam search with \
    --beams beams for --tokens steps (end tokens disabled, so every run makes exactly --tokens tokens). \
    tokens/s = beams × tokens / seconds for both; the ratio is the speed-up of batching the beams. Also \
    prints the median time of one model call and of one whole beam step. Threads: --threads, LMLAB_THREADS \
    or all cores.

    Examples:
      swift run -c release lmlab bench beam --random-0.3b
      swift run -c release lmlab bench beam --random-0.3b --beams 8 --json
      swift run -c release lmlab bench beam --model Models/tiny-ernie
    """
}
