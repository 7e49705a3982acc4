// A mistyped --model name ("tiny-erni") names the model meant, not only the ways to download ERNIE.
import Foundation
import Decoding
import LabCore
import ModelFiles
import Testing
@testable import Lab

@Test func aTypoOfAKnownModelNameSuggestsIt() throws {
    let known = ["tiny-ernie", "tiny-ernie-instruct", "ernie-4.5-0.3b"]
    let typo = ModelLocatorError.notFound(argument: "tiny-erni", repoId: nil, steps: [], knownNames: [])
    let s = try #require(ModelNameSuggestion.suggesting(typo, known: known))
    #expect(s.suggestion == "tiny-ernie")
    #expect(Learner.$language.withValue(.zh) { s.description }.hasSuffix("HINT：你是说 --model tiny-ernie 吗？"))
    #expect(Learner.$language.withValue(.en) { s.description }.hasSuffix("HINT: did you mean --model tiny-ernie?"))
    // Nothing near, a path, or a known name that is only not downloaded: the locator's own error stands.
    #expect(ModelNameSuggestion.suggesting(.notFound(argument: "gpt-17", repoId: nil, steps: [], knownNames: []), known: known) == nil)
    #expect(ModelNameSuggestion.suggesting(.notFound(argument: "./tiny-erni", repoId: nil, steps: [], knownNames: []), known: known) == nil)
    #expect(ModelNameSuggestion.suggesting(.notFound(argument: "ernie-4.5-0.3b", repoId: "baidu/ERNIE-4.5-0.3B-PT", steps: [],
                                                     knownNames: []), known: known) == nil)
}

@Test func theProjectsShippedModelIsSuggestedForATypo() throws {
    var env = LabEnvironment.current                                    // this test's project, not the process's
    env["LMLAB_HOME"] = try #require(ProjectPaths.root(currentDirectory: #filePath)).path
    try LabEnvironment.$override.withValue(env) {
        do {
            _ = try ModelLoader.folder("tiny-erni")
            Issue.record("tiny-erni was found")
        } catch let error as ModelNameSuggestion {
            print(error)
            #expect(error.suggestion == "tiny-ernie")
        }
        // The tokenizer-only commands (tokenize) find models the same way and suggest the same name.
        #expect { _ = try ModelLoader.tokenizer("tiny-erni") } throws: {
            ($0 as? ModelNameSuggestion)?.suggestion == "tiny-ernie"
        }
    }
}

/// The lab's own models outside the catalog (Models/gru-stories-en, the word-level and seq2seq ones) are names it
/// knows too: a typo of one names it (it listed only the ways to download ERNIE), in either language.
@Test func aTypoOfAShippedWordLevelModelSuggestsIt() throws {
    var env = LabEnvironment.current
    env["LMLAB_HOME"] = try #require(ProjectPaths.root(currentDirectory: #filePath)).path
    try LabEnvironment.$override.withValue(env) {
        let known = CommandCompletion.projectModelNames()
        for name in ["gru-stories-en", "rnn-stories-en", "nnlm-stories-en", "seq2seq-numbers", "tiny-ernie"] {
            #expect(known.contains(name), "\(name) in \(known)")
        }
        #expect(Set(known).count == known.count, "each name once: \(known)")
        #expect { _ = try ModelLoader.folder("gru-storys-en") } throws: { error in
            guard let s = error as? ModelNameSuggestion else { return false }
            let zh = Learner.$language.withValue(.zh) { s.description }
            print(zh)
            return s.suggestion == "gru-stories-en" && zh.hasSuffix("HINT：你是说 --model gru-stories-en 吗？")
                && !zh.contains("ernie-4.5-0.3b, ")
        }
    }
}

/// The fix names the model where the command takes it: `inspect tiny` suggested `--model tiny-ernie`, which inspect
/// refuses (its model is an argument); the same for `load NAME MODEL`, --compare, --policy and --reference
/// (walk14a finding 10).
@Test func aTypoIsFixedWhereTheCommandTakesTheModel() throws {
    var env = LabEnvironment.current
    env["LMLAB_HOME"] = try #require(ProjectPaths.root(currentDirectory: #filePath)).path
    try LabEnvironment.$override.withValue(env) {
        func hint(_ body: () throws -> Void) -> (en: String, zh: String)? {
            do { try body() } catch let s as ModelNameSuggestion {
                let (en, zh) = (Learner.$language.withValue(.en) { s.description },
                                Learner.$language.withValue(.zh) { s.description })
                return (en, zh)
            } catch { Issue.record("\(error)") }
            return nil
        }
        let inspect = hint { _ = try ModelAnatomy.inspect("tiny") }
        #expect(inspect?.en.hasSuffix("HINT: did you mean inspect tiny-ernie?") == true, "\(inspect?.en ?? "")")
        #expect(inspect?.zh.hasSuffix("HINT：你是说 inspect tiny-ernie 吗？") == true, "\(inspect?.zh ?? "")")
        let compare = hint {
            _ = try ProbReport.Scored(model: "tiny-ernie", precision: .asStored, compare: "tiny-erni",
                                      comparePrecision: .asStored, ids: [1, 2], text: nil, bos: nil, chat: false)
        }
        #expect(compare?.en.hasSuffix("HINT: did you mean --compare tiny-ernie?") == true, "\(compare?.en ?? "")")
        let reward = hint {
            _ = try ImplicitReward.compare(["a", "b"], after: "x", policy: "tiny-erni", reference: "tiny-ernie",
                                           chat: false, beta: 0.1)
        }
        #expect(reward?.en.hasSuffix("HINT: did you mean --policy tiny-ernie?") == true, "\(reward?.en ?? "")")
    }
}
