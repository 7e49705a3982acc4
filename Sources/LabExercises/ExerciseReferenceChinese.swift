// The lab code each check compares with ("all 26 cases agree with LabCore's softmax"), for a Chinese learner: keyed
// by the English `ExerciseSpec.reference`, as the help pages' Chinese is keyed by their English. A test keeps it
// complete; code names stay as they are in the source.

import LabCore

extension ExerciseSpec {
    static let referenceInChinese: [String: String] = [
        "ClassicLMs' NGramModel.perplexity (`lmlab ngram perplexity`)":
            "ClassicLMs 的 NGramModel.perplexity（`lmlab ngram perplexity`）",
        "ClassicLMs' Word2VecEmbeddings.analogy (3CosAdd)": "ClassicLMs 的 Word2VecEmbeddings.analogy（3CosAdd）",
        "ClassicLMs' Word2VecEmbeddings.nearest": "ClassicLMs 的 Word2VecEmbeddings.nearest",
        "ClassicLMs' add-k smoothing (NGramCounts.probability)": "ClassicLMs 的加 k 平滑（NGramCounts.probability）",
        "ClassicLMs' negativeSamplingStepNaive": "ClassicLMs 的 negativeSamplingStepNaive",
        "Decoding's ImplicitReward (what `lmlab dpo-reward` uses)": "Decoding 的 ImplicitReward（`lmlab dpo-reward` 用的就是它）",
        "Decoding's MinP": "Decoding 的 MinP",
        "Decoding's SentenceScore (log P and perplexity)": "Decoding 的 SentenceScore（log P 和困惑度）",
        "Decoding's SentenceScore (the lab's `prob` ledger)": "Decoding 的 SentenceScore（实验室 `prob` 的账本）",
        "Decoding's Temperature, then softmax": "Decoding 的 Temperature 处理器加 softmax",
        "Decoding's TopK": "Decoding 的 TopK",
        "Decoding's TopP": "Decoding 的 TopP",
        "ERNIE's quantizeRowInt8Naive": "ERNIE 的 quantizeRowInt8Naive",
        "LabCore's rmsNormNaive (ERNIE's RMSNorm)": "LabCore 的 rmsNormNaive（ERNIE 的 RMSNorm）",
        "LabCore's ropeInterleavedNaive (ERNIE's RoPE)": "LabCore 的 ropeInterleavedNaive（ERNIE 的 RoPE）",
        "LabCore's silu with NeuralLMs' project (ERNIE's SwiGLU)": "LabCore 的 silu 加 NeuralLMs 的 project（ERNIE 的 SwiGLU）",
        "LabCore's softmax": "LabCore 的 softmax",
        "NeuralLMs' BahdanauAttention": "NeuralLMs 的 BahdanauAttention",
        "NeuralLMs' attentionSteps (causal)": "NeuralLMs 的 attentionSteps（因果掩码）",
        "NeuralLMs' columns (how multiHeadAttentionSteps cuts heads)": "NeuralLMs 的 columns（multiHeadAttentionSteps 就这样切出各个头）",
        "NeuralLMs' elmanCell": "NeuralLMs 的 elmanCell",
        "NeuralLMs' multiHeadAttentionSteps (keyValueHeadOfQueryHead)":
            "NeuralLMs 的 multiHeadAttentionSteps（keyValueHeadOfQueryHead）",
        "Tokenizers' ErnieChatTemplate (ERNIE-4.5's template)": "Tokenizers 的 ErnieChatTemplate（ERNIE-4.5 的模板）",
        "`lmlab classify`'s shares (softmax over the labels' total log P)": "`lmlab classify` 的份额（对各标签的总 log P 做 softmax）",
    ]

    /// `reference` in the learner's language.
    var shownReference: String { Learner.text(reference, Self.referenceInChinese[reference] ?? reference) }
}
