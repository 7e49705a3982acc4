// The `--help` discussions of the training commands (see CommandHelp.swift).

extension CommandHelp {
    public static let dpoReward = """
    The policy and the reference must share a tokenizer (a model and its fine-tuned version do). With --chat the \
    prompt is a user message in the chat template and each answer is scored as the assistant's reply.

    Examples:
      lmlab dpo-reward "What is the capital of France?" \\
          --answers "Paris is the capital of France.|France is a country." \\
          --policy tiny-ernie-instruct --reference tiny-ernie --chat
      lmlab dpo-reward "The dog says" --answers " woof.| meow." \\
          --policy tiny-ernie-instruct --reference tiny-ernie --beta 0.5
    """

    public static let rl = """
    Each step asks one animal-sound question from the model's own training chats (English, or Chinese when the \
    learner's language is Chinese), samples --group answers, rewards the exact reference answer, and takes one \
    REINFORCE step with the group's mean reward as baseline plus β·KL(π ‖ π_ref) to the unchanged SFT model. \
    The tuned model is not saved.

    Examples:
      lmlab rl
      lmlab rl --steps 60 --beta 0.5 --seed 2
    """

    public static let train = """
    Examples:
      lmlab train tiny-ernie                      the base model, on the stories
      lmlab train tiny-ernie --steps 200 --out /tmp/t   a short run elsewhere
      lmlab train tiny-ernie --resume             continue after Ctrl-C
      lmlab train tiny-ernie-moe                  the same, as a mixture of experts
      lmlab train tiny-instruct                   SFT of Models/tiny-ernie (chat)
      lmlab train tiny-ernie --bench 20           time 20 steps, save nothing
    Without --out a model goes to your own folder, <state>/models/<name> ($XDG_STATE_HOME/lmlab, default \
    ~/.local/state/lmlab): the models shipped in Models/ stay as the lessons quote them. To replace one on \
    purpose, name it: --out Models/<name>.
    """

    public static let trainNNLM = """
    Examples:
      lmlab train nnlm                           5-gram NNLM on stories-en
      lmlab train nnlm --context 2 --steps 500   a trigram-window NNLM, short run
      lmlab train nnlm --resume                  continue after Ctrl-C

    Afterwards:
      lmlab nnlm prob "the dog says woof ."
    """

    public static let trainRNN = """
    Examples:
      lmlab train rnn                   → <state>/models/rnn-stories-en
      lmlab train rnn --hidden 64 --steps 400

    Afterwards:
      lmlab rnn vanishing
    """

    public static let trainGRU = """
    Examples:
      lmlab train gru                   → <state>/models/gru-stories-en
      lmlab train gru --resume          continue after Ctrl-C
    """

    public static let trainSeq2Seq = """
    500 numbers are held out (a seeded split); the run ends with their exact-match and alignment accuracy.
    Examples:
      lmlab train seq2seq               → <state>/models/seq2seq-numbers
      lmlab train seq2seq --steps 200

    Afterwards:
      lmlab seq2seq translate "three thousand four hundred five" --show-alignment
    """

    public static let trainTinyErnie = """
    The architecture is ERNIE-4.5's (RMSNorm, interleaved RoPE, grouped-query attention, SwiGLU, tied \
    embeddings) at toy size; the tokenizer is a SentencePiece BPE model trained here with ERNIE's settings. \
    Writes <out>/{config.json, model.safetensors, tokenizer.model, tokenizer_config.json, \
    special_tokens_map.json, generation_config.json, training.json}; <out>/checkpoint holds the resumable state.
    """

    public static let trainTinyErnieMoE = """
    The dense tiny ERNIE's shape (D 192, 4 layers, 4/2 heads × 48, V 3072) with layers 1–3 routed: each token \
    goes to the top k of E SwiGLU experts of width --expert-ffn plus the shared experts; layer 0 stays dense \
    (F 512). After every step the correction bias moves toward equal load (auxiliary-loss-free balancing). \
    The tokenizer is the dense tiny ERNIE's (Models/tiny-ernie), so the two score the same tokens. Writes the \
    same files as `train tiny-ernie` into <out> (default name tiny-ernie-moe).
    """

    public static let trainTinyInstruct = """
    Data: Models/tiny-ernie-instruct/data/{train,heldout}.jsonl, written by scripts/make_instruct_data.py from \
    the corpus's facts (capitals, animal sounds, plurals, story questions). After training, prints and saves the \
    mean log P of the held-out reference answers under the base and the instruct model.
    """
}

/// The defaults, limits and help of one family of `train` runs (LabCLI's TrainingRunOptions declares the options
/// once for both).
public struct TrainingDefaults: Sendable {
    public let seed: UInt64
    public let batchLimit: Int
    public let steps, batch, lr, out, resume: String

    /// `train nnlm | rnn | gru | seq2seq` (NeuralLMs, NeuralTraining).
    public static let neural = TrainingDefaults(seed: 1, batchLimit: 4096,
        steps: "Optimizer steps in the whole run (1…1000000; a resumed run counts from the checkpoint's step).",
        batch: "Examples per step (contexts for nnlm, sentences for rnn/gru/seq2seq; 1…4096).",
        lr: "Starting learning rate (linear decay to a tenth of it; at most 1).",
        out: "Folder to write model.safetensors and checkpoint.safetensors (default: <state>/models/<name>).",
        resume: "Continue from <out>/checkpoint.safetensors (after Ctrl-C).")

    /// `train tiny-ernie | tiny-ernie-moe | tiny-instruct` (ErnieTraining, TinyErnieTraining).
    public static let tinyErnie = TrainingDefaults(seed: 1234, batchLimit: 1024,
        steps: "Optimizer steps in the whole run (1…1000000).",
        batch: "Sequences per step (1…1024).",
        lr: "Peak learning rate (after warm-up; cosine decay to a tenth of it; at most 1).",
        out: "Model folder to write (default: <state>/models/<name>, e.g. ~/.local/state/lmlab/models/tiny-ernie).",
        resume: "Continue the run saved in <out>/checkpoint (after Ctrl-C).")
}
