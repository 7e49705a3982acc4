// The lab's API comparisons against `lmlab serve` (the course's "your decoder vs the API" with no other server).
// `check greedy` against llama-cpp-python's server, which names tokens by text alone and shows byte pieces, unused ids
// and control tokens as "", is a recorded exchange: LlamaCppReplayTests' checkGreedyAgreesOnTheRecordedEmptyTextTokens.
import Decoding
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
import Serve
import Testing
@testable import LabCLI

@Test func checkGreedyAgreesWithLmlabServeById() async throws {
    let url = try await servedTinyErnie.value
    let command = try CheckCommand.Greedy.parse(["--model", shippedTinyErnie, "--api", url, "--max-new-tokens", "24",
                                                 "--prompt", "One day, Luna went to the", "--prompt", "有一天，露娜和她的爸爸",
                                                 "--bos", "--prompt", "The dog says"])
    let outcomes = try await blocking { try command.compare() }
    for o in outcomes { print("check greedy vs lmlab serve: \(o.prompt.debugDescription) \(o.identical ? "identical" : o.note)") }
    #expect(outcomes.count == 3 && outcomes.allSatisfy(\.identical))
}

@Test func exerciseGreedyDecoderPassesAgainstLmlabServe() async throws {
    let url = try await servedTinyErnie.value
    let verdict = try await blocking {
        let catalog = try ExerciseCatalog.ofProject()
        let entry = try catalog.entry("greedy_decoder")
        return try ExerciseChecker.check(entry, source: catalog.solutionFile(entry), catalog: catalog,
                                         model: shippedTinyErnie, api: APISettings(url: url))
    }
    print("exercise greedy_decoder --api lmlab serve: \(verdict.summary) \(verdict.firstDivergence ?? "")")
    #expect(verdict.passed)
    #expect(verdict.summary.contains(url))
}
