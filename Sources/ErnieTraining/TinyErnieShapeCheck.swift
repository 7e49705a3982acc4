// TinyErnieShapeCheck — the sizes `lmlab train tiny-ernie` and `tiny-ernie-moe` may be given, checked before
// anything is allocated: each size in its range (the ranges `--help` quotes), the shape's invariants (Hkv divides H,
// Dh even for RoPE's pairs), and a run whose weights, gradients, AdamW moments and activations
// (`TinyErnie.trainingBytes`) would not fit in the machine's memory. Each error names the option and the fix.
import Foundation
import LabCore

extension TinyErnieRecipe.Shape {
    /// - Parameter batch: sequences per step; nil leaves out the memory check (a resumed run keeps the shape its
    ///   checkpoint has).
    /// - Throws: `OptionError` for the first size no run could use.
    public func check(sequenceLength seq: Int, batch: Int?) throws(OptionError) {
        try TinyErnieRecipe.checkSequenceLength(seq)
        try OptionCheck.range("--hidden", hidden, 1...4096)
        try OptionCheck.range("--layers", layers, 1...64)
        try OptionCheck.range("--heads", heads, 1...128)
        try OptionCheck.range("--kv-heads", kvHeads, 1...heads, hint: Learner.text(
            "--kv-heads must divide --heads \(heads): use \(heads) (MHA), 1 (MQA) or a divisor between.",
            "--kv-heads 必须整除 --heads \(heads)：用 \(heads)（MHA）、1（MQA）或介于两者之间的因数。"))
        guard heads % kvHeads == 0 else {
            throw OptionError(Learner.text(
                "--heads \(heads) is not a multiple of --kv-heads \(kvHeads). HINT: each KV head serves "
                    + "H/Hkv query heads; pick a --kv-heads that divides --heads.",
                "--heads \(heads) 不是 --kv-heads \(kvHeads) 的倍数。HINT：每个 KV 头服务 H/Hkv 个查询头；"
                    + "选一个能整除 --heads 的 --kv-heads。"))
        }
        try OptionCheck.range("--head-dim", headDim, 2...512)
        guard headDim % 2 == 0 else {
            throw OptionError(Learner.text(
                "--head-dim \(headDim) is odd. HINT: use an even --head-dim (RoPE rotates pairs).",
                "--head-dim \(headDim) 是奇数。HINT：用偶数的 --head-dim（RoPE 成对旋转）。"))
        }
        try OptionCheck.range("--ffn", ffn, 1...16384)
        try OptionCheck.range("--vocab", vocab, 1...65536)
        if let batch {
            try TinyErnieRecipe.checkTrainingMemory(trainingBytes(batch: batch, sequenceLength: seq),
                                                    options: "--hidden, --layers, --ffn, --vocab, --batch or --seq")
        }
    }
}

extension TinyErnieRecipe.MoEShape {
    /// - Throws: `OptionError` for the first size no run could use.
    public func check() throws(OptionError) {
        try OptionCheck.range("--experts", experts, 2...64)
        try OptionCheck.range("--top-k", topK, 1...experts, hint: Learner.text(
            "k experts are chosen out of --experts \(experts).", "从 --experts \(experts) 个专家中选出 k 个。"))
        try OptionCheck.range("--shared-experts", shared, 0...8)
        try OptionCheck.range("--expert-ffn", expertFFN, 1...4096)
    }
}

extension TinyErnieRecipe {
    /// Tokens per training sequence: 8 … max_position_embeddings.
    public static func checkSequenceLength(_ seq: Int) throws(OptionError) {
        try OptionCheck.range("--seq", seq, 8...contextLength)
    }

    /// An error when training needs `bytes` (nil: more than an Int counts) and the machine has less memory, said
    /// before anything is allocated.
    /// - Parameter options: the options that set the sizes, named in the hint.
    public static func checkTrainingMemory(_ bytes: Int?, options: String) throws(OptionError) {
        let available = ProcessInfo.processInfo.physicalMemory
        let gb = { (b: Double) in String(format: "%.1f GB", b / 1e9) }
        guard let bytes, UInt64(bytes) <= available else {
            throw OptionError(Learner.text(
                "training this shape needs "
                    + (bytes.map { "about " + gb(Double($0)) } ?? "more bytes than an Int counts")
                    + " (weights, gradients, AdamW moments and one step's activations); this machine has "
                    + "\(gb(Double(available))). HINT: lower \(options).",
                "训练这个形状需要" + (bytes.map { "约 " + gb(Double($0)) } ?? "超过 Int 能数的字节")
                    + "（权重、梯度、AdamW 矩和一步的激活），这台机器只有 \(gb(Double(available)))。"
                    + "HINT：调小 \(options)。"))
        }
    }
}
