// The checks the commands used to make themselves, now Lab's: a prompt given as TEXT or --ids, prob's and generate's
// option combinations, `load`'s arguments, --labels and --answers, --api and its companions, and the prompt against
// the model's context. Each refusal is an OptionError (the command line's exit 64) that names the option.
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
private let tinyErnie = root.appendingPathComponent("Models/tiny-ernie").path

/// The message of the OptionError `body` throws ("" when it throws none or another error).
private func refusal(_ body: () throws -> Void) -> String {
    do { try body() } catch let e as OptionError { return e.description } catch { return "" }
    return ""
}

@Test func promptIdsParseOnlyNonNegativeIntegers() throws {
    #expect(PromptSpec.parseIds("1, 2,3") == [1, 2, 3])
    #expect(PromptSpec.parseIds("1,-2") == nil && PromptSpec.parseIds("a") == nil && PromptSpec.parseIds("") == nil)
    #expect(refusal { _ = try PromptSpec.checkedIds("1,x") }.hasPrefix("--ids 1,x: expected comma-separated"))
    let spec = PromptSpec(model: "m", text: nil, ids: "5,6", bos: false)
    #expect(try spec.tokens(nil) == [5, 6])                            // --ids need no tokenizer
}

@Test func promptSpecRefusesTextWithIdsAndBosWithIds() {
    #expect(refusal { try PromptSpec(model: "m", text: nil, ids: nil, bos: false).check() }.contains("give a TEXT"))
    #expect(refusal { try PromptSpec(model: "m", text: "a", ids: "1", bos: false).check() }.contains("not both"))
    #expect(refusal { try PromptSpec(model: "m", text: nil, ids: "1", bos: true).check() }.contains("--bos applies"))
    #expect(refusal { try PromptSpec(model: "m", text: "a", ids: nil, bos: true).check() } == "")
}

@Test func promptAndNewTokensMustFitTheContext() throws {
    let spec = PromptSpec(model: "tiny", text: "a", ids: nil, bos: false)
    try spec.checkContext(promptTokens: 10, maxNewTokens: 22, context: 32)
    do {
        try spec.checkContext(promptTokens: 10, maxNewTokens: 23, context: 32)
        Issue.record("10 + 23 tokens do not fit in 32")
    } catch let e as PromptSpec.PromptError {
        #expect(e.description.contains("tiny's context of 32 tokens"))
        #expect(e.description.contains("--max-new-tokens 22 or less"))
    }
    // A prompt that alone fills the context: the length option, perhaps a default never typed, is not blamed.
    for (prompt, newTokens) in [(32, 1), (40, 6)] {
        let message = Learner.$language.withValue(.en) { () -> String in
            do { try spec.checkContext(promptTokens: prompt, maxNewTokens: newTokens, context: 32, option: "--steps") }
            catch { return "\(error)" }
            return ""
        }
        #expect(message == "the prompt has \(prompt) tokens, but tiny's context holds 32 (max_position_embeddings in "
            + "config.json), new tokens included. HINT: shorten the prompt to at most 31 tokens.")
    }
    #expect(throws: PromptSpec.PromptError.self) { _ = try spec.tokens(nil) }     // TEXT needs a tokenizer
}

@Test func chosenModelReadsThePromptAndChecksTheContext() throws {
    let chosen = try ChosenModel(PromptSpec(model: tinyErnie, text: "The dog says", ids: nil, bos: true), api: nil)
    #expect(chosen.api == nil && chosen.prompt.count > 1 && chosen.text(chosen.prompt).contains("The dog says"))
    let context = try #require(ModelLoader.load(tinyErnie).model.config.maxPositionEmbeddings)
    #expect(throws: PromptSpec.PromptError.self) {
        let spec = PromptSpec(model: tinyErnie, text: "x", ids: nil, bos: false)
        _ = try ChosenModel(spec, api: nil, maxNewTokens: context)
    }
}

@Test func probRequestRefusesOptionsThatDoNotGoTogether() {
    #expect(refusal { try ProbRequest(model: "m", text: nil, ids: nil).check() }.contains("give a TEXT to score"))
    #expect(refusal { try ProbRequest(model: "m", text: "", ids: nil).check() }.contains("HINT"))
    #expect(refusal { try ProbRequest(model: "m", text: "a", ids: nil, comparePrecision: .int8).check() }
        .contains("--compare-precision applies to the --compare model"))
    #expect(refusal { try ProbRequest(model: "m", text: nil, ids: "1,2", bos: false).check() }
        .contains("--ids are scored"))
    let api = APISettings(url: "u")
    #expect(refusal { try ProbRequest(model: "m", text: "a", ids: nil, compare: "n", api: api).check() }
        .contains("--api scores with the server's model"))
    #expect(refusal { try ProbRequest(model: "m", text: nil, ids: "1,y").check() }.hasPrefix("--ids 1,y"))
    #expect(refusal { try ProbRequest(model: "m", text: "a b", ids: nil, compare: "n", precision: .int8).check() }
        == "")
}

@Test func probRequestScoresTheLedgerAndItsJSON() throws {
    let result = try ProbRequest(model: tinyErnie, text: "The dog says woof.", ids: nil).run()
    #expect(result.second == nil && result.header.count == 2 && result.first.scoredCount > 1)
    let json = String(decoding: try JSONEncoder().encode(result.json), as: UTF8.self)
    #expect(json.contains("\"total_logprob\"") && json.contains("\"bos\""))
    #expect(json.contains("\"precision\":\"as-stored\""))
    #expect(result.explored.title.contains(tinyErnie))
}

@Test func generateRequestRefusesOptionsOfAnotherStrategy() {
    func request(_ strategy: GenerationStrategy, ids: String? = nil, bos: Bool = false, chat: Bool = false,
                 api: APISettings? = nil, precision: WeightPrecision = .asStored, sampling: Bool = false,
                 beam: Bool = false) -> GenerateRequest {
        GenerateRequest(prompt: PromptSpec(model: "m", text: ids == nil ? "a" : nil, ids: ids, bos: bos),
                        settings: Generation.Settings(strategy: strategy, maxNewTokens: 4,
                                                      processors: ProcessorChain([]), seed: 0, chat: chat),
                        api: api, precision: precision, samplingGiven: sampling, beamGiven: beam)
    }
    #expect(refusal { try request(.greedy, api: APISettings(url: "u"), precision: .int8).check() }
        .contains("--precision"))
    #expect(refusal { try request(.greedy, bos: true, chat: true).check() }.contains("--chat builds the prompt"))
    #expect(refusal { try request(.greedy, sampling: true).check() }.contains("--strategy sample only"))
    #expect(refusal { try request(.sample, beam: true).check() }.contains("--strategy beam only"))
    #expect(refusal { try request(.sample, sampling: true).check() } == "")
}

@Test func generationStreamsGreedyAndSummarisesABeamSearch() throws {
    let loaded = try ModelLoader.load(tinyErnie)
    let prompt = try PromptSpec(model: tinyErnie, text: "The dog says", ids: nil, bos: true).tokens(loaded.tokenizer)
    var streamed: [StreamedOutput] = []
    let greedy = Generation.Settings(strategy: .greedy, maxNewTokens: 3, processors: ProcessorChain([]), seed: 0)
    let (json, noBeam) = try Generation.run(loaded.model, tokenizer: loaded.tokenizer, promptIds: prompt,
                                            settings: greedy) { streamed.append($0) }
    let ids = try #require(json as? GeneratedJSON).ids
    #expect(noBeam == nil && (1...3).contains(ids.count) && streamed.count >= 3)
    let beam = Generation.Settings(strategy: .beam, maxNewTokens: 3, processors: ProcessorChain([]), seed: 0,
                                   beam: BeamSearchSettings(beams: 2, maxNewTokens: 3))
    let (beamJSON, shown) = try Generation.run(loaded.model, tokenizer: loaded.tokenizer, promptIds: prompt,
                                               settings: beam, emit: nil)
    let best = try #require((beamJSON as? BeamJSON)?.sequences.first)
    #expect(try #require(shown).summary.contains("1. score") && best.ids.count <= 3)
}

@Test func loadArgumentsAreCheckedBeforeAnythingIsLoaded() {
    #expect(refusal { try SessionModels.check("a b", "m", forget: false) }.contains("not a usable name"))
    // train --name takes the names load takes (review 15: "x.y" and "a b" named a model load then refused).
    for name in ["a b", "x.y", "..", "a/b", "-x", "", String(repeating: "猫", count: 34)] {    // 102 bytes
        #expect(refusal { try TrainedModelFolder.check(name: name) }.contains("not a usable name"), "\(name)")
    }
    #expect(refusal { try TrainedModelFolder.check(name: "tiny-ernie-lesson7") }.isEmpty)
    #expect(refusal { try SessionModels.check("base", "m", forget: true) }.contains("--forget takes just the NAME"))
    #expect(refusal { try SessionModels.check("base", nil, forget: false) }.contains("give the model too"))
    // A model's name alone (the catalog is found from the package folder the tests run in): the learner meant to
    // load it, so the answer shows the name going first.
    #expect(refusal { try SessionModels.check("tiny-ernie", nil, forget: false) }.contains("`load base tiny-ernie`"))
    #expect(refusal { try SessionModels.check("base_2", "m", forget: false) } == "")
    #expect(refusal { try SessionModels.check(nil, nil, forget: false) } == "")           // `load`: the names so far
}

@Test func labelsAnswersAndAPIOptionsAreChecked() throws {
    #expect(try LabelScore.labels(" yes, no,,") == [" yes", " no"])
    #expect(refusal { _ = try LabelScore.labels("yes") }.contains("at least two"))
    #expect(try ImplicitReward.answers("a|b|") == ["a", "b"])
    #expect(refusal { _ = try ImplicitReward.answers("a") }.contains("at least two answers"))
    #expect(refusal { try APISettings.check(api: nil, top: 5, key: nil) }.contains("apply to --api"))
    #expect(refusal { try APISettings.check(api: "u", top: 0, key: nil) }
            == "--api-top 0 is outside 1…1000. HINT: give --api-top a value in 1…1000 (see --help).")
    #expect(refusal { try APISettings.check(api: "u", top: nil, key: "") }.contains("--api-key is empty"))
    #expect(refusal { try APISettings.check(api: "u", top: 7, key: "k") } == "")
}

@Test func downloadOptionsAreChecked() {
    #expect(refusal { try ModelDownload(model: "m", revision: nil, source: .huggingface, endpoint: "ftp://x").check() }
        .contains("not an http(s) address"))
    #expect(refusal { try ModelDownload(model: "m", revision: "", source: .huggingface, endpoint: nil).check() } != "")
    #expect(refusal { try ModelDownload(model: "m", revision: "main", source: .huggingface,
                                        endpoint: "https://hf-mirror.com").check() } == "")
}

@Test func attentionMapRefusesALayerOrHeadTheModelLacks() throws {
    #expect(refusal { _ = try AttentionMap.record(model: tinyErnie, text: "x", layer: 99, head: 0) }
        .contains("--layer 99"))
    #expect(refusal { _ = try AttentionMap.record(model: tinyErnie, text: "x", layer: 0, head: 99) }
        .contains("--head 99"))
    let (_, pieces, layers, heads) = try AttentionMap.record(model: tinyErnie, text: "The dog", layer: 0, head: 0)
    #expect(pieces.count >= 2 && layers >= 1 && heads >= 1)
}
