// `lmlab sample --show-dist` on the tiny ERNIE test checkpoint: the processed distribution, its entropy and the
// seeded draw agree with the Decoding target and with `generate --strategy sample`'s first token.
import ArgumentParser
import Decoding
import Foundation
import Lab
import TerminalUI
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

@Test func showDistStepAgreesWithGenerate() throws {
    for (flags, seed) in [(["--top-k", "3"], 0), (["--temperature", "0.5", "--top-p", "0.5"], 7), (["--min-p", "0.2"], 3)] {
        let sample = try SampleCommand.parse(["Hello", "--model", checkpoint, "--show-dist", "--top", "20",
                                              "--seed", "\(seed)"] + flags)
        let (s, vocabularySize) = try sample.step()
        let processedShown = s.top.map(\.processed).reduce(0, +)
        print("\(s.processors): kept \(s.kept)/\(vocabularySize), entropy \(s.entropy_raw) → \(s.entropy_processed), drawn \(s.drawn)")
        #expect(s.kept >= 1 && s.kept < vocabularySize)
        #expect(s.entropy_processed < s.entropy_raw)
        #expect(s.drawn_processed > 0, "the draw must come from the processed distribution")
        // Raw bars are sorted, most likely first.
        #expect(zip(s.top, s.top.dropFirst()).allSatisfy { $0.raw >= $1.raw })
        if s.kept <= 20 { #expect(abs(processedShown - 1) < 1e-5) }

        // The same seed's first sampled token in `generate` is the drawn token.
        let generated = try GenerateCommand.parse(["Hello", "--model", checkpoint, "--strategy", "sample",
                                                   "--seed", "\(seed)", "--max-new-tokens", "1"] + flags)
        let loaded = try ModelLoader.load(checkpoint)
        let sampler = Sampler(processors: try generated.sampling.processors(), choice: .sample(seed: UInt64(seed)))
        let prompt = try generated.input.spec.tokens(loaded.tokenizer)
        let first = try sampler.generate(loaded.model, prompt: prompt, maxNewTokens: 1) { _ in }
        #expect(first == [s.drawn])
    }
}

@Test func showDistRejectsGenerationOptions() {
    #expect(throws: (any Error).self) { try SampleCommand.parse(["x", "--model", "m", "--show-dist", "--max-new-tokens", "3"]) }
    #expect(throws: (any Error).self) { try SampleCommand.parse(["x", "--model", "m", "--top", "3"]) }
}

@Test func entropyAndBarsByHand() {
    TerminalLocale.activate()
    #expect(abs(Decoding.entropy([0.5, 0.5, 0]) - log(2)) < 1e-12)
    let text = PlainRenderer.render(SampleStep.bars([("a", 0.5, 1.0), ("中", 0.25, 0)], drawn: "a"), width: 60)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 3)
    print(text)
    #expect(lines[1].contains("1.0000") && lines[2].contains("0.2500"))
    #expect(lines[1].hasPrefix("▶") && !lines[2].hasPrefix("▶"), "the drawn token is marked")
    #expect(Set(lines.dropFirst().map { EastAsianWidth.cells(String($0)) }).count == 1, "rows line up by display width")
}

@Test func exploreBuildsTheExplorersOnTheCommandsSettingsAndNeedsATerminal() throws {
    let sample = try SampleCommand.parse(["Hello", "--model", checkpoint, "--explore", "--temperature", "0.5", "--top-k", "7", "--seed", "3"])
    let explorer = try sample.explorer()
    #expect(explorer.settings == SamplingSettings(temperature: 0.5, topK: 7, topP: 1, minP: 0))
    #expect(explorer.seed == 3)
    #expect(throws: (any Error).self) { try SampleCommand.parse(["Hello", "--model", checkpoint, "--explore", "--show-dist"]) }
    let beam = try BeamCommand.parse(["Hello", "--model", checkpoint, "--explore", "--beams", "3"])
    #expect(!(try beam.explorer()).isDone)
    // No terminal here (swift test): a clear error instead of a broken screen.
    #expect { try sample.run() } throws: { "\($0)".contains("needs a terminal") }
}
