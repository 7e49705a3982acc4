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

/// A decoder that agrees with the lab but not with the server (the lab runs the instruct model, the server the base)
/// is told where the server's text parts from the learner's, in the learner's language.
@Test func exerciseGreedyDecoderSaysWhereTheAPIDiffersInTheLearnersLanguage() async throws {
    let url = try await servedTinyErnie.value
    func verdict(_ language: LessonLanguage) async throws -> ExerciseVerdict {
        try await blocking {
            try Learner.$language.withValue(language) {
                let catalog = try ExerciseCatalog.ofProject()
                let entry = try catalog.entry("greedy_decoder")
                return try ExerciseChecker.check(entry, source: catalog.solutionFile(entry), catalog: catalog,
                                                 model: projectRoot.appendingPathComponent("Models/tiny-ernie-instruct").path,
                                                 api: APISettings(url: url))
            }
        }
    }
    let (en, zh) = (try await verdict(.en), try await verdict(.zh))
    print("greedy_decoder vs another model's server: \(zh.summary) · \(zh.firstDivergence ?? "")")
    #expect(!en.passed && en.summary == "the lab agrees; the API at \(url) does not", "\(en.summary)")
    #expect(en.firstDivergence?.contains("the API writes") == true)
    #expect(!zh.passed && zh.summary.contains("API 却不一致") && zh.firstDivergence?.contains("API 写的是") == true)
    let zhText = zh.summary + " " + (zh.firstDivergence ?? "")
    #expect(ChineseWording.englishRun(in: zhText) == nil, "\(zhText)")
}

/// The two conversing checks (greedy_decoder, bigram_counter) give their verdict in the learner's language: the
/// starters fail, in English as before and in Chinese in a zh lesson.
@Test func theConversingChecksSayTheirVerdictInTheLearnersLanguage() async throws {
    for name in ["greedy_decoder", "bigram_counter"] {
        func verdict(_ language: LessonLanguage) async throws -> ExerciseVerdict {
            try await blocking {
                try Learner.$language.withValue(language) {
                    let catalog = try ExerciseCatalog.ofProject()
                    let entry = try catalog.entry(name)
                    return try ExerciseChecker.check(entry, source: catalog.starterFile(entry), catalog: catalog,
                                                     model: shippedTinyErnie, api: nil)
                }
            }
        }
        let (en, zh) = (try await verdict(.en), try await verdict(.zh))
        print("\(name) starter: \(zh.summary) · \(zh.firstDivergence ?? "")")
        #expect(!en.passed && !zh.passed)
        let (enText, zhText) = (en.summary + " " + (en.firstDivergence ?? ""), zh.summary + " " + (zh.firstDivergence ?? ""))
        #expect(enText.contains(name == "greedy_decoder" ? "the starter returns nothing yet" : "you returned no counts at all"), "\(enText)")
        #expect(ChineseWording.englishRun(in: zhText) == nil && zhText.contains(name == "greedy_decoder" ? "初始文件还什么都不返回" : "初始文件的 TODO"),
                "\(zhText)")
    }
}
