// The hint shown after a failed check is about the learner's slip: a case that exists to catch one (softmax's
// [1000, 999, 998], greedy's tie) names the hints about it, and `check --hint` and a later `exercise hint` show the
// first of those not yet shown — the hints no longer come in a fixed order whatever failed. A function that fails
// the first case has a more basic slip: its verdict names no hints, and they come in order.
import Foundation
import Lab
import LabCore
@testable import LabExercises
import Testing
@testable import LabCLI

private func scratchStore() -> (ProgressStore, URL) {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-hint-target-\(UUID().uuidString)")
    return (ProgressStore(directory: state), state)
}

@Test func everyCaseNamesHintsTheExerciseHas() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let inputs = ExerciseChecker.inputs(catalog)
    var tagged: [String] = []
    for spec in ExerciseSpecs.all.values.sorted(by: { $0.name < $1.name }) {
        let entry = try catalog.entry(spec.name)
        let count = min(entry.hints(.en).count, entry.hints(.zh).count)
        for c in try spec.cases(inputs) {
            guard let hints = c.hints else { continue }
            #expect(!hints.isEmpty && hints.allSatisfy { (1...count).contains($0) }, "\(spec.name): \(c.call) names \(hints)")
            if !tagged.contains(spec.name) { tagged.append(spec.name) }
        }
    }
    print("exercises with cases that name their hints: \(tagged.count) — \(tagged.joined(separator: ", "))")
    #expect(tagged.count >= 12, "\(tagged)")
    // The two conversing checks name hints 1–3 of exercises that have three.
    for name in ["greedy_decoder", "bigram_counter"] { #expect(try catalog.entry(name).hints(.en).count == 3) }
}

/// The order a failure's hints are shown in, from progress alone: the first unseen of the failure's hints, then the
/// most direct of them again; with none named, the first unseen hint; files from before `hintsSeen` count 1…n.
@Test func theHintShownIsTheFirstUnseenOfTheFailuresHints() throws {
    let entry = try ExerciseCatalog.ofProject().entry("softmax")
    let (store, state) = scratchStore()
    defer { try? FileManager.default.removeItem(at: state) }
    func next(_ about: [Int]? = nil) -> Int? { store.showNextHint(entry, in: .en, about: about).hint?.number }
    #expect(next([2, 3]) == 2)
    #expect(next([2, 3]) == 3)
    #expect(next([2, 3]) == 3, "all shown: the most direct again")
    #expect(next() == 1, "no failure named: the one not yet shown")
    #expect(ProgressStore(directory: state).exercise("softmax").hintsShown == 3)
    #expect(ProgressStore(directory: state).exercise("softmax").hintsSeen == [1, 2, 3])

    // A progress file written before `hintsSeen`: two hints shown means hints 1 and 2.
    let (old, oldState) = scratchStore()
    defer { try? FileManager.default.removeItem(at: oldState) }
    old.updateExercise("softmax") { $0.hintsShown = 2 }
    try old.save()
    #expect(ProgressStore(directory: oldState).showNextHint(entry, in: .zh).hint?.number == 3)
    // The last failure's hints, recorded by the check, steer a later `exercise hint` (no `about`).
    let (later, laterState) = scratchStore()
    defer { try? FileManager.default.removeItem(at: laterState) }
    later.updateExercise("softmax") { $0.failureHints = [3] }
    try later.save()
    #expect(ProgressStore(directory: laterState).showNextHint(entry, in: .en).hint?.number == 3)
}

/// End to end on softmax: the naive formula passes the small cases and fails [1000, 999, 998]; its verdict names
/// the overflow hints, the check records them, and `exercise hint` shows hint 2, not hint 1. The untouched starter
/// fails the first case: no hints named.
@Test func aNaiveSoftmaxGetsTheOverflowHintAndTheStarterTheFirst() throws {
    let catalog = try scratchExercises()
    defer { try? FileManager.default.removeItem(at: catalog.directory.deletingLastPathComponent().deletingLastPathComponent()) }
    let entry = try catalog.entry("softmax")
    let naive = catalog.directory.appendingPathComponent("naive-softmax.swift")
    try """
    import Foundation
    func softmax(_ logits: [Double]) -> [Double] {
        let e = logits.map { exp($0) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
    """.write(to: naive, atomically: true, encoding: .utf8)
    let (store, state) = scratchStore()
    defer { try? FileManager.default.removeItem(at: state) }
    let verdict = try ExerciseChecker.checkAndRecord(entry, source: naive, catalog: catalog, model: exerciseCheckpoint,
                                                     api: nil, progress: { store }, lang: .en)
    print("naive softmax: \(verdict.summary), hints \(verdict.hints ?? [])")
    #expect(!verdict.passed && verdict.hints == [2, 3], "\(verdict)")
    #expect(ProgressStore(directory: state).exercise("softmax").failureHints == [2, 3])
    let shown = ExerciseProgress.nextHint(entry, store: ProgressStore(directory: state), lang: .zh).lines
    #expect(shown == ["提示 2/3：" + entry.hints(.zh)[1]], "\(shown)")

    let starter = try ExerciseChecker.check(entry, source: catalog.starterFile(entry), catalog: catalog,
                                            model: exerciseCheckpoint, api: nil)
    #expect(!starter.passed && starter.hints == nil, "the first case failed: \(starter)")
}

/// A first case's tags never apply (the verdict names them only when an earlier case agreed), so none has any; the
/// hand cases that exist for one slip name its hint, and the overflow tags sit only where exp really overflows.
@Test func theTagsSitOnTheCasesThatCatchTheirSlip() throws {
    let inputs = ExerciseChecker.inputs(try ExerciseCatalog.ofProject())
    func cases(_ name: String) throws -> [ExerciseCase] { try ExerciseSpecs.all[name]!.cases(inputs) }
    for spec in ExerciseSpecs.all.values {
        #expect(try spec.cases(inputs).first?.hints == nil, "\(spec.name): its first case names hints that never apply")
    }
    func tags(_ name: String, _ call: String) throws -> [Int]? { try cases(name).first { $0.call == call }?.hints }
    #expect(try tags("top_p", "topP([0.5, 0.3, 0.2], p: 0.6)") == [2], "the token that crosses p")
    #expect(try tags("top_p", "topP([0.1, 0.2, 0.7], p: 0.05)") == [1], "sort the ids")
    let neighbours = try cases("cosine_neighbours")
    #expect(neighbours[1].hints == [2] && neighbours[2].hints == [3], "the long vector; the tie")
    #expect(try cases("rms_norm").contains { $0.call.hasSuffix("epsilon: 0.1)") && $0.hints == [2] },
            "ε big enough to show")
    for c in try cases("temperature") where c.hints != nil {
        guard let z = c.args[0].numbers, case .number(let t) = c.args[1] else { continue }
        #expect(exp(z.max()! / t) == .infinity, "\(c.call) is tagged for an overflow it does not have")
    }
    #expect(try tags("temperature", "softmaxWithTemperature([2, 2, 1], temperature: 0.01)") == nil)
    // The loops above pass with no tag at all: the overflow cases must carry theirs.
    #expect(try cases("temperature").contains { $0.hints == [2] }, "a case where exp(z / T) overflows names hint 2")
    #expect(try cases("classify").contains { $0.hints == [3] }, "a case whose label sums underflow names hint 3")
    for c in try cases("classify") where c.hints != nil {
        guard case .list(let labels) = c.args[0] else { continue }
        #expect(labels.allSatisfy { exp($0.numbers!.reduce(0, +)) == 0 }, "\(c.call) does not underflow")
    }
    // ngram_perplexity has a sentence with a zero probability: its perplexity is ∞ and a solution that skips the
    // zero returns a finite number there.
    let infinite = try #require(try cases("ngram_perplexity").first { $0.expected == .number(.infinity) })
    #expect(infinite.hints == [3])
    guard case .list(let sentences) = infinite.args[0] else { Issue.record("no sentences"); return }
    let all = sentences.flatMap { $0.numbers! }, kept = all.filter { $0 > 0 }
    #expect(kept.count < all.count && exp(-kept.map(log).reduce(0, +) / Double(kept.count)).isFinite)
}
