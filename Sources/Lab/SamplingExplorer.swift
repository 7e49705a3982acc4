// SamplingExplorer — the state behind the sampling explorer (lesson 3): one next-token distribution, reshaped live.
//
//   z = log P(· | context)  (one model call, cached)  →  z′ = chain(z)  →  p = softmax(z′)  →  token ~ p
// The learner moves the sliders — temperature T, top-k, top-p, min-p — and sees p_raw and p_processed side by
// side, the entropy H = −Σ p ln p of both, and the nucleus cut. A slider change reprocesses the cached z only: the
// model is not called again. Enter draws a token with the seeded RNG and appends it (one model call); `g` appends
// the greedy token (both through Decoding's `TokenChoice.pick`, the step `generate` takes); `r` draws N tokens from p into a histogram, which converges to p_processed as N grows.
// The page (TerminalUI/SamplingExplorerPage.swift) maps keys to these methods and draws `output`.

import Decoding
import Foundation
import LabCore

public struct SamplingSettings: Equatable, Sendable {
    public var temperature: Float = 1
    /// nil: off (every token).
    public var topK: Int? = nil
    public var topP: Float = 1
    public var minP: Float = 0
    public init(temperature: Float = 1, topK: Int? = nil, topP: Float = 1, minP: Float = 0) {
        (self.temperature, self.topK, self.topP, self.minP) = (temperature, topK, topP, minP)
    }

    /// The processors, in transformers' order (temperature → top-k → top-p → min-p).
    public func chain() throws -> ProcessorChain {
        try ProcessorChain(temperature: temperature, topK: topK, topP: topP, minP: minP)
    }

    /// "T 0.70 · top-k off · top-p 0.90 · min-p 0.00"
    public var summary: String {
        String(format: "T %.2f · top-k %@ · top-p %.2f · min-p %.2f", temperature,
               topK.map(String.init) ?? "off", topP, minP)
    }

    /// The top-k ladder the k/K keys walk (nil is off).
    public static let topKLadder: [Int?] = [1, 2, 3, 5, 10, 20, 50, nil]
}

public final class SamplingExplorer {
    /// The knobs, in the order the sliders are drawn.
    public enum Knob: Sendable { case temperature, topP, topK, minP }

    public let model: ExplorerModel
    /// The knob moved last, highlighted among the sliders.
    public private(set) var activeKnob: Knob = .temperature
    /// Prompt and appended ids.
    public private(set) var context: [Int]
    public let promptLength: Int
    public private(set) var settings: SamplingSettings
    public let seed: UInt64
    /// How many of the most likely tokens the bars show.
    public var topN: Int
    /// How many draws `r` adds to the histogram.
    public var drawsPerPress: Int

    /// Cached log P(next | context) [V]: changes only when a token is appended.
    public private(set) var logProbs: [Float]
    public private(set) var distribution: NextTokenDistribution
    /// Token → how many of the `r` draws chose it (since the last change).
    public private(set) var histogram: [Int: Int] = [:]
    public private(set) var drawn = 0
    /// The last appended token and its processed probability.
    public private(set) var last: (token: Int, probability: Float, greedy: Bool)?
    private var rng: SeededRNG
    private let detokenize: ([Int]) -> String

    /// Reads the context (one model call).
    /// - Parameter detokenize: ids → text, for showing the context.
    public init(model: ExplorerModel, context: [Int], detokenize: @escaping ([Int]) -> String,
                settings: SamplingSettings = SamplingSettings(), seed: UInt64 = 0, topN: Int = 10,
                drawsPerPress: Int = 100) throws {
        guard !context.isEmpty else {
            throw DecodingError("sampling explorer: empty context. HINT: give at least one id (the model's start token)")
        }
        self.model = model
        self.context = context
        promptLength = context.count
        self.settings = settings
        self.seed = seed
        self.topN = topN
        self.drawsPerPress = drawsPerPress
        self.detokenize = detokenize
        rng = SeededRNG(seed: seed)
        logProbs = try model.read(context)
        distribution = try settings.chain().distributions(logProbs, history: context)
    }

    // MARK: - Sliders (no model call)

    /// Changes the settings and reprocesses the cached log-probs; an invalid value is refused (the old one stays).
    public func update(_ change: (inout SamplingSettings) -> Void) {
        var s = settings
        change(&s)
        guard s != settings, let chain = try? s.chain() else { return }   // out of range: the slider stops
        settings = s
        distribution = chain.distributions(logProbs, history: context)
        histogram = [:]
        drawn = 0
    }

    /// The temperature slider's ends: ←/→ stop there, and the track is labelled with them.
    public static let temperatureRange: ClosedRange<Float> = 0.1...2

    /// T ± 0.1 within `temperatureRange`; a T given outside it (`--temperature 0.01` or 3) only moves toward it.
    public func temperature(up: Bool) {
        activeKnob = .temperature
        update { s in
            let range = Self.temperatureRange, t = s.temperature + (up ? 0.1 : -0.1)
            let moved = up ? min(t, max(range.upperBound, s.temperature)) : max(t, min(range.lowerBound, s.temperature))
            s.temperature = (moved * 100).rounded() / 100
        }
    }
    public func topP(up: Bool) {
        activeKnob = .topP
        update { s in s.topP = (min(1, max(0.05, s.topP + (up ? 0.05 : -0.05))) * 100).rounded() / 100 }
    }
    public func minP(up: Bool) {
        activeKnob = .minP
        update { s in s.minP = (min(0.5, max(0, s.minP + (up ? 0.05 : -0.05))) * 100).rounded() / 100 }
    }
    /// Walks `SamplingSettings.topKLadder` (up = more tokens, ending at off).
    public func topK(up: Bool) {
        activeKnob = .topK
        update { s in
            let ladder = SamplingSettings.topKLadder
            let i = ladder.firstIndex(of: s.topK) ?? ladder.count - 1
            s.topK = ladder[min(ladder.count - 1, max(0, i + (up ? 1 : -1)))]
        }
    }

    // MARK: - Drawing tokens

    /// The token Enter would draw now (a copy of the RNG: nothing is consumed).
    public var nextDraw: Int {
        var copy = rng
        return TokenChoice.sample(seed: seed).pick(from: distribution, rng: &copy)
    }

    /// Draws a token from p_processed with the seeded RNG and appends it (one model call).
    public func sample() throws { try append(TokenChoice.sample(seed: seed).pick(from: distribution, rng: &rng), greedy: false) }

    /// Appends the most likely processed token (one model call).
    public func greedy() throws { try append(TokenChoice.greedy.pick(from: distribution, rng: &rng), greedy: true) }

    /// Adds `drawsPerPress` draws from p_processed to the histogram (no model call; uses the seeded RNG).
    public func drawMany() {
        let choice = TokenChoice.sample(seed: seed)
        for _ in 0..<drawsPerPress { histogram[choice.pick(from: distribution, rng: &rng), default: 0] += 1 }
        drawn += drawsPerPress
    }

    private func append(_ token: Int, greedy: Bool) throws {
        last = (token, distribution.processed[token], greedy)
        logProbs = try model.append(token)
        context.append(token)
        distribution = try settings.chain().distributions(logProbs, history: context)
        histogram = [:]
        drawn = 0
    }

    // MARK: - What to show

    /// Tokens that can be drawn, p > 0 (`SampleStep.drawable`: at T 0.1 Float's p underflows for tokens no processor
    /// removed).
    public var survivors: Int { SampleStep.drawable(distribution).count }

    /// The prompt and what was appended, as text. The generated part is the difference of the two decodings, so
    /// a detokenizer that joins pieces (SentencePiece's "▁") or words (with spaces) reads naturally.
    public var contextText: (prompt: String, generated: String) {
        let prompt = detokenize(Array(context.prefix(promptLength)))
        let all = detokenize(context)
        if all.hasPrefix(prompt) { return (prompt, String(all.dropFirst(prompt.count))) }
        return (prompt, detokenize(Array(context.dropFirst(promptLength))))
    }

    /// The top-N bars (by raw probability), raw vs processed, the nucleus cut, the histogram, and a note line.
    public var bars: ProbabilityBars { bars(rows: topN, note: note) }

    /// The bars of the `rows` most likely tokens, `note` under them.
    func bars(rows count: Int, note: String) -> ProbabilityBars {
        let raw = distribution.raw
        let order = raw.withUnsafeBufferPointer { LabCore.topK($0.baseAddress!, count: $0.count, k: min(count, $0.count)) }
        let next = nextDraw
        let rows = order.map { id in
            BarRow(token: VisibleText.escapingControls(model.vocabulary.piece(id)), raw: Double(raw[id]),
                   processed: Double(distribution.processed[id]), chosen: id == next,
                   drawn: drawn > 0 ? histogram[id, default: 0] : nil)
        }
        // The cut: after the last shown row that can still be drawn, when a removed row follows (a p that is 0 only
        // because Float cannot hold it was not removed).
        let lastKept = order.lastIndex { distribution.processedScores[$0] > -.infinity }
        let cut = lastKept.flatMap { $0 < rows.count - 1 ? $0 : nil }
        return ProbabilityBars(rows: rows, cutAfter: cut,
                               samples: drawn > 0 ? drawn : nil, note: note)
    }

    /// The line under the bars: both entropies, how many tokens can be drawn in the words `sample --show-dist` uses,
    /// and what ▶ marks on a line of its own (a wrap used to part 下一次抽 from 取). Over the whole vocabulary, so
    /// made once however many rows are tried.
    var note: String {
        let raw = distribution.raw
        return String(format: Learner.text("entropy %.3f nats raw → %.3f processed · ",
                                           "熵 %.3f 奈特（原始）→ %.3f（处理后）· "),
                      entropy(raw), entropy(distribution.processed))
            + SampleStep.drawableText(SampleStep.drawable(distribution), vocabulary: raw.count)
            + (model.topOnly.map { Learner.text(" · top-\($0) only (the model gives no more)", " · 只有前 \($0) 个（模型只给这么多）") } ?? "")
            + String(format: Learner.text("\n▶ next draw (seed %llu)", "\n▶ 下一次抽取（种子 %llu）"), seed)
    }

    /// The four knobs as sliders: T on 0.1–2, top-p and min-p on 0–1 and 0–0.5, top-k along its ladder (off at the
    /// right end: every token).
    public var sliders: [Slider] {
        let s = settings
        let ladder = SamplingSettings.topKLadder
        let k = Double(ladder.firstIndex(of: s.topK) ?? ladder.count - 1) / Double(ladder.count - 1)
        let t = Self.temperatureRange
        return [
            Slider("T", value: String(format: "%.2f", s.temperature),
                   fraction: Double((s.temperature - t.lowerBound) / (t.upperBound - t.lowerBound)),
                   range: "\(t.lowerBound)–\(Int(t.upperBound))", active: activeKnob == .temperature),
            Slider("top-p", value: String(format: "%.2f", s.topP), fraction: Double(s.topP), range: "0–1",
                   active: activeKnob == .topP),
            Slider("top-k", value: s.topK.map(String.init) ?? Learner.text("off", "关"), fraction: k, range: Learner.text("1–off", "1–关"),
                   active: activeKnob == .topK),
            Slider("min-p", value: String(format: "%.2f", s.minP), fraction: Double(s.minP) / 0.5, range: "0–0.5",
                   active: activeKnob == .minP),
        ]
    }

    /// The whole explorer as one Output: the context, the sliders, then the bars.
    public var output: Output { output(rows: topN, note: note, context: contextText) }

    /// `output` with as many of the top-N bars as keep its last lines (the entropy note) within `height` rows of
    /// `width` cells — at least three; a screen tall enough shows all N.
    public func output(fitting height: Int, width: Int) -> Output {
        let note = self.note                                        // one note for every number of rows tried
        // The text keeps its end within a third of the height: a long prompt (or many draws) pushed the bars and
        // the sliders off the screen (w17 explorer walk 1).
        let context = tail(of: contextText, rows: max(2, height / 3), width: width)
        let all = output(rows: topN, note: note, context: context)
        let over = OutputLayout.lines(all, width: width, height: height).count - height
        guard over > 0 else { return all }
        // A bar is one line: the rows over the height come off the bars in one step (laid out once more to be sure,
        // not once per bar on every key press).
        var rows = max(3, topN - over)
        var out = output(rows: rows, note: note, context: context)
        while rows > 3, OutputLayout.lines(out, width: width, height: height).count > height {
            rows -= 1
            out = output(rows: rows, note: note, context: context)
        }
        return out
    }

    /// The end of the text that fits in `rows` lines of `width` (with room for the last draw's note), "…" before it
    /// when its start is left out; the prompt goes first, then the oldest of the generated text. The kept length is
    /// found by the lines the layout really takes (a line break costs a row, not a cell): a binary search.
    func tail(of text: (prompt: String, generated: String), rows: Int, width: Int) -> (prompt: String, generated: String) {
        let budget = max(1, rows - 1)                               // a line for "（抽到「…」，p=…）"
        let (p, g) = (text.prompt.count, text.generated.count)
        func last(_ n: Int) -> (prompt: String, generated: String) {      // the last n characters
            n >= p + g ? text : n <= g ? ("…", String(text.generated.suffix(n)))
                                       : ("…" + String(text.prompt.suffix(n - g)), text.generated)
        }
        func fits(_ t: (prompt: String, generated: String)) -> Bool {
            OutputLayout.lines(.text(OutputText(spans: [TextSpan(t.prompt), TextSpan(t.generated)])), width: width).count <= budget
        }
        guard !fits(text) else { return text }
        var (fitting, over) = (0, p + g)                            // last(fitting) fits, last(over) does not
        while over - fitting > 1 {
            let mid = (fitting + over) / 2
            if fits(last(mid)) { fitting = mid } else { over = mid }
        }
        return last(fitting)
    }

    func output(rows: Int, note: String, context: (prompt: String, generated: String)) -> Output {
        let (prompt, generated) = context
        var spans = [TextSpan(prompt)]
        if !generated.isEmpty { spans.append(TextSpan(generated, .good)) }
        if let last {
            let piece = VisibleText.escapingControls(model.vocabulary.piece(last.token))
            let how = last.greedy ? Learner.text("greedy", "贪心选了") : Learner.text("drew", "抽到")
            // In Chinese, full-width brackets and p=… kept in one word, so a wrap never parts p from its value.
            spans.append(TextSpan(Learner.isChinese ? String(format: "  （%@「%@」，p=%.3f）", how, piece, last.probability)
                                                    : String(format: "   (%@ %@, p %.3f)", how, piece, last.probability), .dim))
        }
        // The sliders as one paragraph, a line each.
        let knobs = sliders.enumerated().flatMap { k, slider in (k == 0 ? [] : [TextSpan("\n")]) + slider.line().spans }
        return .group(OutputGroup([.text(OutputText(spans: spans)), .text(OutputText(spans: knobs)),
                                   .bars(bars(rows: rows, note: note))]))
    }
}
