// `lmlab exercise plug NAME`: the lab runs on the learner's own code once it passes — the sampling step of the tiny
// ERNIE with their softmax, temperature, top-k, top-p or min-p, `generate` with their greedy decoder, `ngram prob`
// with their add-k smoothing, the chat prompt with their template, the RMSNorms of a forward pass with theirs —
// printed beside the lab's own. The learner's code runs only in its compiled program (ExerciseSession), one task
// at a time; the lab's process never loads it.
import ClassicLMs
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import Tokenizers

public struct ExercisePlug: Sendable {
    /// The exercises the lab can run on.
    public static let pluggable = ["softmax", "temperature", "top_k", "top_p", "min_p", "greedy_decoder", "add_k", "chat_template", "rms_norm"]

    public var model: String
    public var prompt: String
    /// add_k: the sentence to score.
    public var sentence: String
    /// temperature T, top-k k, top-p p, min-p, add-k k; nil takes each exercise's default.
    public var parameter: Double?
    public var seed: UInt64
    public var maxNewTokens: Int
    public var lang: LessonLanguage

    public init(model: String, prompt: String, sentence: String, parameter: Double?, seed: UInt64, maxNewTokens: Int, lang: LessonLanguage) {
        (self.model, self.prompt, self.sentence, self.parameter) = (model, prompt, sentence, parameter)
        (self.seed, self.maxNewTokens, self.lang) = (seed, maxNewTokens, lang)
    }

    /// - Throws: `OptionError` for a parameter or a token count no run could use.
    public func validate() throws(OptionError) {
        if let parameter, !(parameter > 0 && parameter <= 1_000_000) {
            throw OptionError(Learner.text(
                "--parameter \(parameter): must be a positive number up to 1000000. HINT: e.g. --parameter 0.9 for top_p.",
                "--parameter \(parameter)：必须是不超过 1000000 的正数。HINT：例如 top_p 用 --parameter 0.9。"))
        }
        try OptionCheck.range("--max-new-tokens", maxNewTokens, 1...256)
    }

    /// Compiles the learner's file for `entry` and runs the lab on it: the lines to print.
    public func run(_ entry: ExerciseEntry, catalog: ExerciseCatalog) throws -> [String] {
        guard Self.pluggable.contains(entry.name) else {
            throw ExerciseError(Learner.text(
                "\(entry.name) is checked, but the lab has no place to run it in. HINT: plug one of \(Self.pluggable.joined(separator: ", ")).",
                "\(entry.name) 能检查，但实验室里没有地方运行它。HINT：接入 \(Self.pluggable.joined(separator: "、")) 之一。"))
        }
        let build = try ExerciseBuild.compile(source: catalog.workFile(entry), harness: catalog.harnessFile(entry))
        defer { build.remove() }
        return try report(entry, build: build, catalog: catalog)
    }

    /// Checks `build` (the learner's program) and, when it passes, runs the lab on it: the lines to print.
    /// - Throws: `ExerciseError` when the check does not pass (the lab never runs on failing code).
    public func report(_ entry: ExerciseEntry, build: ExerciseBuild, catalog: ExerciseCatalog) throws -> [String] {
        let lang = self.lang
        let say = { (en: String, zh: String) in lang == .zh ? zh : en }
        let verdict = try Learner.$language.withValue(lang) { try ExerciseChecker.check(entry, build: build, catalog: catalog, model: model, api: nil) }
        guard verdict.passed else {
            throw ExerciseError(say("\(entry.name) does not pass its check yet (\(verdict.summary)), so the lab will not run on it. HINT: `lmlab exercise check \(entry.name)` shows the first divergence.",
                                    "\(entry.name) 还没有通过检查（\(verdict.summary)），实验室不会用它运行。HINT：`lmlab exercise check \(entry.name)` 会显示第一处不同。"))
        }
        let head = say("✓ \(entry.name) passes its check; the lab now runs on your code (in its own process).",
                       "✓ \(entry.name) 已通过检查；实验室现在用你的代码运行（在独立进程中）。")
        switch entry.name {
        case "greedy_decoder": return [head] + (try greedy(build, say))
        case "add_k": return [head] + (try addK(build, catalog: catalog, say))
        case "chat_template": return [head] + (try chat(build, say))
        case "rms_norm": return [head] + (try rmsNormInErnie(build, say))
        default: return [head] + (try sampling(build, entry.name, say))
        }
    }

    /// Asks the learner's program one question.
    func ask(_ build: ExerciseBuild, _ name: String, _ args: [ExerciseValue]) throws -> ExerciseValue {
        guard let spec = ExerciseSpecs.all[name] else {
            throw ExerciseError(Learner.text("\(name): no case check to plug. HINT: this is a bug in LMLab.",
                                             "\(name)：没有可接入的用例检查。HINT：这是 LMLab 的缺陷。"))
        }
        let session = try ExerciseSession(build, seconds: 30)
        defer { session.finish() }
        return try spec.ask(session, args).get()
    }

    /// The next-token distribution after --prompt through the lab's processor and through the learner's function.
    func sampling(_ build: ExerciseBuild, _ name: String, _ say: (String, String) -> String) throws -> [String] {
        var out: [String] = []
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let ids = [tokenizer.bosId ?? 1] + tokenizer.encode(prompt, addBos: false)
        var state = try loaded.model.makeState()
        let scores = try loaded.model.append(ids, to: &state)                    // log P(next | prompt) [V]
        let p = probabilities(scores).map(Double.init)
        let logits = scores.map(Double.init)
        let (processors, args, label): ([any LogitsProcessor], [ExerciseValue], String)
        switch name {
        case "softmax": (processors, args, label) = ([], [.numbers(logits)], "softmax")
        case "temperature":
            let t = parameter ?? 0.7
            (processors, args, label) = ([try Temperature(Float(t))], [.numbers(logits), .number(t)], "temperature \(t)")
        case "top_k":
            let k = Int(parameter ?? 5)
            (processors, args, label) = ([try TopK(max(1, k))], [.numbers(p), .int(max(1, k))], "top-k \(max(1, k))")
        case "top_p":
            let top = min(parameter ?? 0.9, 1)
            (processors, args, label) = ([try TopP(Float(top))], [.numbers(p), .number(top)], "top-p \(top)")
        default:
            let m = min(parameter ?? 0.1, 1)
            (processors, args, label) = ([try MinP(Float(m))], [.numbers(p), .number(m)], "min-p \(m)")
        }
        let lab = ProcessorChain(processors).distributions(scores, history: ids).processed.map(Double.init)
        guard let yours = try ask(build, name, args).numbers, yours.count == lab.count else {
            throw ExerciseError(say("\(name): your function did not return \(lab.count) probabilities for the model's vocabulary. HINT: lmlab exercise check \(name).",
                                    "\(name)：你的函数没有为模型词表返回 \(lab.count) 个概率。HINT：lmlab exercise check \(name)。"))
        }
        out.append(say("\(model), after \"\(prompt)\", \(label):", "\(model)，在 \"\(prompt)\" 之后，\(label)："))
        out.append("  " + EastAsianWidth.pad(say("token", "词元"), toCells: 18) + EastAsianWidth.pad(say("the lab", "实验室"), toCells: 12) + say("yours", "你的"))
        let order = lab.indices.sorted { lab[$0] != lab[$1] ? lab[$0] > lab[$1] : $0 < $1 }
        for id in order.prefix(10) {
            out.append("  " + EastAsianWidth.pad("'\(tokenizer.piece(id))'", toCells: 18) + EastAsianWidth.pad(String(format: "%.4f", lab[id]), toCells: 12)
                  + String(format: "%.4f", yours[id]))
        }
        let kept = (lab.filter { $0 > 0 }.count, yours.filter { $0 > 0 }.count)
        let diff = zip(lab, yours).map { abs($0 - $1) }.max() ?? 0
        out.append(say("  tokens kept: lab \(kept.0), yours \(kept.1); largest difference \(String(format: "%.2g", diff))",
                  "  保留的词元：实验室 \(kept.0)，你的 \(kept.1)；最大差异 \(String(format: "%.2g", diff))"))
        var rngLab = SeededRNG(seed: seed), rngYours = SeededRNG(seed: seed)
        let (labToken, _) = Sampler(processors: ProcessorChain(processors), choice: .sample(seed: seed)).choose(scores, history: ids, rng: &rngLab)
        let yourToken = rngYours.nextCategorical(yours.map(Float.init))
        out.append(say("  one draw with seed \(seed): lab → '\(tokenizer.piece(labToken))', yours → '\(tokenizer.piece(yourToken))'",
                  "  种子 \(seed) 的一次抽取：实验室 → '\(tokenizer.piece(labToken))'，你的 → '\(tokenizer.piece(yourToken))'"))
        return out
    }

    /// `generate` with the learner's decoder beside the lab's greedy decoder.
    func greedy(_ build: ExerciseBuild, _ say: (String, String) -> String) throws -> [String] {
        var out: [String] = []
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let ids = [tokenizer.bosId ?? 1] + tokenizer.encode(prompt, addBos: false)
        let (verdict, yours) = try ExerciseChecks.greedy(build, model: loaded.model, tokenizer: tokenizer, prompts: [ids],
                                                          maxNewTokens: maxNewTokens)
        let lab = try Sampler(processors: ProcessorChain([]), choice: .greedy)
            .generate(loaded.model, prompt: ids, maxNewTokens: maxNewTokens, endTokens: [loaded.model.endTokens.min() ?? 2])
        let text = { (t: [Int]) in tokenizer.decode(t.filter { !loaded.model.endTokens.contains($0) }, skipSpecialTokens: true) }
        out.append(say("\(model), greedy, up to \(maxNewTokens) new tokens after \"\(prompt)\":", "\(model)，贪心，在 \"\(prompt)\" 之后最多 \(maxNewTokens) 个新词元："))
        out.append(Self.labelled(say("the lab", "实验室"), prompt + text(lab)))
        out.append(Self.labelled(say("yours", "你的"), prompt + text(yours.first ?? [])))
        out.append("  " + (verdict.passed ? say("identical, token for token", "逐词元完全一致") : (verdict.firstDivergence ?? "")))
        return out
    }

    /// "  the lab One day…": a generation under its label, a line it goes on to indented to the text (walk 15: the
    /// second line of a story started at the margin, under neither label).
    static func labelled(_ label: String, _ text: String) -> String {
        "  " + EastAsianWidth.pad(label, toCells: 8)
            + text.replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: 10))
    }

    /// `ngram prob` of --sentence under add-k: the lab's P(w | h) beside the learner's, token by token.
    func addK(_ build: ExerciseBuild, catalog: ExerciseCatalog, _ say: (String, String) -> String) throws -> [String] {
        var out: [String] = []
        let k = parameter ?? 1
        let corpus = try Corpus(try CorpusSpec.named("luna-en"), dataDirectory: ExerciseChecker.inputs(catalog).dataDirectory)
        let vocabulary = corpus.vocabulary()
        let model = NGramModel(order: 2, smoothing: .addK(k), vocabulary: vocabulary, sentences: corpus.train)
        let words = corpus.spec.tokenization.split(sentence)
        let ids = words.map(vocabulary.idOrUnknown) + [vocabulary.endId]
        out.append(say("ngram prob, bigrams of \(corpus.spec.name), add-\(k), \"\(sentence)\":", "ngram prob，\(corpus.spec.name) 的二元组，add-\(k)，\"\(sentence)\"："))
        out.append("  " + EastAsianWidth.pad("P(w | h)", toCells: 28) + EastAsianWidth.pad(say("the lab", "实验室"), toCells: 12) + say("yours", "你的"))
        var history: [Int] = [], labTotal = 0.0, yourTotal = 0.0
        for w in ids {
            let h = model.paddedContext(history).last ?? vocabulary.beginId
            let row = (0..<vocabulary.count).map { Double(model.counts.count([h, $0])) }
            guard let yours = try ask(build, "add_k", [.numbers(row), .number(k)]).numbers, yours.count == row.count else {
                throw ExerciseError(say("add_k: your function did not return one probability per word. HINT: lmlab exercise check add_k.",
                                        "add_k：你的函数没有为每个词返回一个概率。HINT：lmlab exercise check add_k。"))
            }
            let lab = model.probability(of: w, after: history)
            labTotal += log(lab); yourTotal += log(yours[w])
            out.append("  " + EastAsianWidth.pad("P(\(vocabulary.piece(w)) | \(vocabulary.piece(h)))", toCells: 28)
                  + EastAsianWidth.pad(String(format: "%.5f", lab), toCells: 12) + String(format: "%.5f", yours[w]))
            history.append(w)
        }
        out.append("  " + EastAsianWidth.pad("log P", toCells: 28) + EastAsianWidth.pad(String(format: "%.4f", labTotal), toCells: 12) + String(format: "%.4f", yourTotal))
        return out
    }

    /// The chat prompt rendered by the learner's template and the lab's, and the token ids the model would read.
    func chat(_ build: ExerciseBuild, _ say: (String, String) -> String) throws -> [String] {
        var out: [String] = []
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let messages = [ChatMessage(.system, "You are a helpful assistant."), ChatMessage(.user, prompt)]
        let lab = tokenizer.decode(try tokenizer.encodeChat(messages, addGenerationPrompt: true), skipSpecialTokens: false)
        guard case .text(let yours) = try ask(build, "chat_template",
                                              [.list(messages.map { .list([.text($0.role.rawValue), .text($0.content)]) }), .int(1)]) else {
            throw ExerciseError(say("chat_template: your function did not return text. HINT: lmlab exercise check chat_template.",
                                    "chat_template：你的函数没有返回文本。HINT：lmlab exercise check chat_template。"))
        }
        let yourIds = tokenizer.encode(yours, addBos: false)
        out.append(say("the lab's chat prompt (as \(model) reads it):", "实验室的对话提示词（\(model) 读到的）：") + "\n  " + lab.replacingOccurrences(of: "\n", with: "\\n"))
        out.append(say("yours:", "你的：") + "\n  " + yours.replacingOccurrences(of: "\n", with: "\\n"))
        let labIds = try tokenizer.encodeChat(messages, addGenerationPrompt: true)
        out.append(yourIds == labIds ? say("  the same \(labIds.count) token ids", "  相同的 \(labIds.count) 个词元编号")
              : say("  token ids differ: lab \(labIds.count), yours \(yourIds.count)", "  词元编号不同：实验室 \(labIds.count) 个，你的 \(yourIds.count) 个"))
        return out
    }

    /// The tiny ERNIE's RMSNorms on --prompt's last token: each layer's input norm and the final norm, on the
    /// hidden states of a real forward pass (ErnieRecorder), with the learner's function and the lab's kernel;
    /// then the next token predicted from each final norm through the LM head.
    func rmsNormInErnie(_ build: ExerciseBuild, _ say: (String, String) -> String) throws -> [String] {
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let ids = [tokenizer.bosId ?? 1] + tokenizer.encode(prompt, addBos: false)
        let (c, w) = (loaded.model.config, loaded.model.weights)
        let recorder = ErnieRecorder()
        var cache = loaded.model.makeCache()
        _ = try loaded.model.logits(ids, cache: &cache, allPositions: false, recorder: recorder)
        let d = c.hiddenSize, eps = Float(c.rmsNormEps)
        var out = [say("\(model), \"\(prompt)\", the last token's hidden state at every RMSNorm (ε = \(c.rmsNormEps)):",
                       "\(model)，\"\(prompt)\"，最后一个词元的隐藏状态经过每个 RMSNorm（ε = \(c.rmsNormEps)）：")]
        var finals: (lab: [Float], yours: [Float]) = ([], [])
        for l in 0...c.numHiddenLayers {
            let hidden = recorder.hiddenStates[l]                               // [N, D], the input of this norm
            let x = Array(hidden[(hidden.count - d)...])                        // [D], the last token
            let gain = l < c.numHiddenLayers ? w.layers[l].inputNorm : w.finalNorm
            var lab = [Float](repeating: 0, count: d)
            rmsNorm(rows: 1, cols: d, x: x, gain: gain, epsilon: eps, y: &lab)
            guard let yours = try ask(build, "rms_norm", [.numbers(x), .numbers(gain), .number(Double(eps))]).numbers?.map(Float.init),
                  yours.count == d else {
                throw ExerciseError(say("rms_norm: your function did not return \(d) numbers. HINT: lmlab exercise check rms_norm.",
                                        "rms_norm：你的函数没有返回 \(d) 个数。HINT：lmlab exercise check rms_norm。"))
            }
            let diff = zip(lab, yours).map { abs($0 - $1) }.max() ?? 0
            let name = l < c.numHiddenLayers ? "model.layers.\(l).input_layernorm" : "model.norm"
            out.append("  " + EastAsianWidth.pad(name, toCells: 34) + say("lab ", "实验室 ") + EastAsianWidth.pad(String(format: "%+.4f …", lab[0]), toCells: 12)
                       + say("yours ", "你的 ") + EastAsianWidth.pad(String(format: "%+.4f …", yours[0]), toCells: 12)
                       + say("max diff ", "最大差异 ") + String(format: "%.1e", diff))
            if l == c.numHiddenLayers { finals = (lab, yours) }
        }
        // The LM head on each final norm: the next token the model predicts from the lab's norm and from yours.
        var labLogits = [Float](repeating: 0, count: w.lmHead.rows), yourLogits = labLogits
        w.lmHead.apply(finals.lab, count: 1, &labLogits)
        w.lmHead.apply(finals.yours, count: 1, &yourLogits)
        let (a, b) = (argmax(labLogits), argmax(yourLogits))
        out.append(say("  next token from the lab's final norm '\(tokenizer.piece(a))', from yours '\(tokenizer.piece(b))'",
                       "  实验室的最终归一化预测下一个词元 '\(tokenizer.piece(a))'，你的预测 '\(tokenizer.piece(b))'"))
        return out
    }
}
