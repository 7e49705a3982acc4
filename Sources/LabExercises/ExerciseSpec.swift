// ExerciseSpec — one exercise's check: cases built from the lab's own implementation (fixed edge cases, then seeded
// random ones), sent one by one to the learner's program, compared value by value; the first divergence is told in
// the learner's terms: the call, what came back, what the lab computes, and what that difference usually means.
import Foundation
import Lab
import LabCore

/// The outcome of one check.
public struct ExerciseVerdict: Codable, Equatable, Sendable {
    public var passed: Bool
    /// What was compared and how much of it agreed ("3/3 prompts, 48 tokens").
    public var summary: String
    /// The first divergence, explained; nil when passed.
    public var firstDivergence: String?
    /// The hints (1-based, most direct last) about the slip the failing case exists to catch — softmax's
    /// [1000, 999, 998] names the overflow hints — so the hint shown after a failure is about that failure;
    /// nil when the failing case catches nothing in particular (the hints then come in order).
    public var hints: [Int]?

    public init(passed: Bool, summary: String, firstDivergence: String?, hints: [Int]? = nil) {
        self.passed = passed
        self.summary = summary
        self.firstDivergence = firstDivergence
        self.hints = hints
    }
}

/// What a divergence most likely means — and, when it recognises one slip, the exercise's hints about that slip
/// (1-based, most direct last): the renormalise sentence of top-k names the renormalise hint.
public struct ExerciseAdvice: Equatable, Sendable {
    public var text: String
    public var hints: [Int]?
    public init(_ text: String, hints: [Int]? = nil) {
        self.text = text
        self.hints = hints
    }
}

extension String {
    /// This advice naming the exercise's hints about its slip: `Learner.text(…).hints(3)`.
    func hints(_ numbers: Int...) -> ExerciseAdvice { ExerciseAdvice(self, hints: numbers) }
    /// This advice naming no hint in particular.
    var advice: ExerciseAdvice { ExerciseAdvice(self) }
}

/// One question to the learner's function and the lab's answer to it.
public struct ExerciseCase: Sendable {
    /// The call as the learner wrote the function, e.g. `softmax([1000, 999])`.
    public var call: String
    public var args: [ExerciseValue]
    /// What the lab's own implementation answers.
    public var expected: ExerciseValue
    /// The exercise's hints (1-based, most direct last) about the slip this case exists to catch, if any.
    public var hints: [Int]?

    public init(_ call: String, args: [ExerciseValue], expected: ExerciseValue, hints: [Int]? = nil) {
        self.call = call
        self.args = args
        self.expected = expected
        self.hints = hints
    }
}

/// Where a check finds the lab's data (corpora).
public struct ExerciseInputs: Sendable {
    /// Lessons/data.
    public var dataDirectory: URL
    public init(dataDirectory: URL) { self.dataDirectory = dataDirectory }
}

/// An exercise whose check is a list of cases.
public struct ExerciseSpec: Sendable {
    public let name: String
    /// Numbers agree within tolerance · (1 + |expected|).
    public let tolerance: Double
    /// What `check` compares against, for the summary ("Decoding's TopK").
    public let reference: String
    /// The cases: fixed edge cases first, then seeded random ones.
    public let cases: @Sendable (ExerciseInputs) throws -> [ExerciseCase]
    /// What a divergence most likely means, given the case, the learner's value and the path of the first difference,
    /// with the hints about the slip it recognises.
    public let advise: @Sendable (ExerciseCase, ExerciseValue, [Int]) -> ExerciseAdvice?
    /// The advice's sentence alone.
    public var advice: @Sendable (ExerciseCase, ExerciseValue, [Int]) -> String? {
        let advise = advise
        return { advise($0, $1, $2)?.text }
    }

    /// A spec whose advice names hints where it recognises a slip.
    public init(_ name: String, tolerance: Double = 1e-6, reference: String,
                cases: @escaping @Sendable (ExerciseInputs) throws -> [ExerciseCase],
                advising: @escaping @Sendable (ExerciseCase, ExerciseValue, [Int]) -> ExerciseAdvice?) {
        self.name = name
        self.tolerance = tolerance
        self.reference = reference
        self.cases = cases
        self.advise = advising
    }

    /// Runs every case on `build`; stops at the first divergence. The verdict's hints are the advice's when it
    /// recognised the slip (whichever case failed: the slip is known); else the failing case's, and those only when
    /// an earlier case agreed: a function that fails the first case has a more basic slip than the edge.
    public func check(_ build: ExerciseBuild, inputs: ExerciseInputs) throws -> ExerciseVerdict {
        let all = try cases(inputs)
        let session = try ExerciseSession(build, seconds: 30)
        defer { session.finish() }
        for (k, c) in all.enumerated() {
            let summary = Learner.text("\(k)/\(all.count) cases agree", "\(k)/\(all.count) 个例子一致")
            let yours: ExerciseValue
            switch ask(session, c.args) {
            case .success(let v): yours = v
            case .failure(let reason):
                let divergence = c.call + Learner.text(": ", "：") + "\(reason)"
                return ExerciseVerdict(passed: false, summary: summary, firstDivergence: divergence, hints: k > 0 ? c.hints : nil)
            }
            if let (path, message) = yours.firstDifference(from: c.expected, tolerance: tolerance) {
                var text = "\(c.call)\n  " + Learner.text("expected \(c.expected)\n  yours    \(yours)", "期望  \(c.expected)\n  你的  \(yours)")
                text += "\n  " + (path.isEmpty ? "" : Learner.text("at ", "在 ") + path.map { "[\($0)]" }.joined() + Learner.text(": ", "：")) + message
                let said = advise(c, yours, path)
                if let said { text += "\n  " + said.text }
                return ExerciseVerdict(passed: false, summary: summary, firstDivergence: text,
                                       hints: said?.hints ?? (k > 0 ? c.hints : nil))
            }
        }
        session.send("DONE")
        return ExerciseVerdict(passed: true, summary: Learner.text("all \(all.count) cases agree with \(reference)", "全部 \(all.count) 个例子都与 \(shownReference)\(shownReference.hasSuffix("）") ? "" : " ")一致"), firstDivergence: nil)
    }

    /// One call of the learner's function: its value, or why there is none.
    public func ask(_ session: ExerciseSession, _ args: [ExerciseValue]) -> Result<ExerciseValue, ExerciseError> {
        session.send("TASK " + ExerciseValue.list(args).wire)
        guard let line = session.readLine() else { return .failure(ExerciseError(session.endReason())) }
        if line.hasPrefix("ERROR") { return .failure(ExerciseError(Learner.text("the harness says: ", "测试框架报告：") + line.dropFirst(6))) }
        guard line.hasPrefix("RESULT "), let value = ExerciseValue(wire: String(line.dropFirst(7))) else {
            return .failure(ExerciseError(Learner.text("your program printed \"\(line.prefix(80))\" where the harness's RESULT line was expected — remove print() calls from your function", "你的程序在应输出 RESULT 行的地方打印了 \"\(line.prefix(80))\"——请去掉函数里的 print()")))
        }
        return .success(value)
    }
}

/// The seeded random inputs the specs draw from (SeededRNG: the same cases on every machine).
struct CaseRandom {
    var rng: SeededRNG
    init(seed: UInt64) { rng = SeededRNG(seed: seed) }
    /// Uniform in [a, b).
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextDouble() }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(rng.nextDouble() * Double(range.count)) }
    mutating func vector(_ n: Int, _ a: Double = -2, _ b: Double = 2) -> [Double] { (0..<n).map { _ in uniform(a, b) } }
    mutating func matrix(_ rows: Int, _ cols: Int, _ a: Double = -1, _ b: Double = 1) -> [[Double]] {
        (0..<rows).map { _ in vector(cols, a, b) }
    }
    /// A probability distribution of n tokens with a spread of shapes (peaked to flat), no ties.
    mutating func distribution(_ n: Int) -> [Double] {
        let sharpness = uniform(0.5, 3)
        let w = (0..<n).map { _ in exp(sharpness * uniform(-2, 2)) }
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }
}

extension CaseRandom {
    /// `count` cases, the k-th made by `make(&r, k)` with one generator seeded by `seed`, drawn in order: a spec's
    /// random cases are the same on every run and machine.
    static func cases(seed: UInt64, count: Int,
                      _ make: (inout CaseRandom, Int) throws -> ExerciseCase) rethrows -> [ExerciseCase] {
        var r = CaseRandom(seed: seed)
        var cases: [ExerciseCase] = []
        for k in 0..<count { cases.append(try make(&r, k)) }
        return cases
    }
}

/// Arrays and numbers printed as the learner writes them in a call.
func show(_ v: [Double]) -> String { ExerciseValue.numbers(v).description }
func show(_ m: [[Double]]) -> String { ExerciseValue.matrix(m).description }
func show(_ x: Double) -> String { ExerciseValue.number(x).description }
