// Absurd option values end in a clear error naming the option and the value — a usage error (exit 64) when
// validate() can tell, a runtime error (exit 1) when it needs the model or the corpus — never a crash, a wrapped
// count, an empty "result" or a run that grows without end (issue #17, points 3, 5 and 7).
import ArgumentParser
import Foundation
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

/// Parses `arguments` as the REPL and the binary do, and returns the error's exit code and message.
private func usageFailure(_ arguments: [String]) -> (code: Int32, message: String)? {
    do {
        _ = try LMLab.parseAsRoot(arguments)
        return nil
    } catch {
        return (LMLab.exitCode(for: error).rawValue, LMLab.message(for: error))
    }
}

/// Each command line, the words its message must contain.
private let usageCases: [([String], [String])] = [
    // train tiny-ernie: every size bounded; a wrapped product or an allocation that fails is a usage error first.
    (["train", "tiny-ernie", "--hidden", "4611686018427387904"], ["--hidden 4611686018427387904", "1…4096"]),
    (["train", "tiny-ernie", "--hidden", "1000000000"], ["--hidden 1000000000"]),
    (["train", "tiny-ernie", "--batch", "1000000000"], ["--batch 1000000000", "1…1024"]),
    (["train", "tiny-ernie", "--ffn", "1000000000"], ["--ffn 1000000000"]),
    (["train", "tiny-ernie", "--heads", "1000000", "--kv-heads", "1"], ["--heads 1000000"]),
    (["train", "tiny-ernie", "--layers", "100000000"], ["--layers 100000000", "1…64"]),
    (["train", "tiny-ernie", "--seq", "100000"], ["--seq 100000", "8…4096"]),
    (["train", "tiny-ernie", "--head-dim", "7"], ["--head-dim 7", "even"]),
    (["train", "tiny-ernie", "--steps", "-5"], ["--steps -5"]),
    (["train", "tiny-ernie", "--lr", "inf"], ["--lr inf"]),
    // Each size within its range, the whole too big for any machine: the estimate names the options to lower.
    (["train", "tiny-ernie", "--hidden", "4096", "--layers", "64", "--ffn", "16384", "--vocab", "65536",
      "--batch", "1024", "--seq", "4096"], ["this machine has", "--hidden"]),
    (["train", "tiny-instruct", "--batch", "0"], ["--batch 0"]),
    (["train", "nnlm", "--hidden", "1000000000"], ["--hidden", "1000000000", "1…4096"]),
    (["train", "nnlm", "--context", "0"], ["--context", "1…16"]),
    (["train", "rnn", "--batch", "4096", "--bptt", "1024", "--hidden", "4096"], ["--batch 4096 × --bptt 1024 × --hidden 4096"]),
    (["train", "gru", "--bptt", "-1"], ["--bptt", "-1"]),
    (["train", "seq2seq", "--hidden", "0"], ["--hidden", "0"]),
    // Decoding: beams, tokens and processors.
    (["generate", "x", "--model", "m", "--strategy", "beam", "--beams", "4294967296"], ["beams 4294967296", "1…64"]),
    (["generate", "x", "--model", "m", "--strategy", "beam", "--beams", "9223372036854775807"], ["beams 9223372036854775807"]),
    (["beam", "x", "--model", "m", "--beams", "65"], ["beams 65"]),
    // beam's length under the name typed (lesson 3 writes --steps; it said --max-new-tokens), and not under both.
    (["beam", "x", "--model", "m", "--steps", "0"], ["--steps 0", "HINT: give --steps"]),
    (["beam", "x", "--model", "m", "--max-new-tokens", "0"], ["--max-new-tokens 0", "HINT: give --max-new-tokens"]),
    (["beam", "x", "--model", "m", "--steps", "2", "--max-new-tokens", "3"], ["--steps and --max-new-tokens"]),
    (["generate", "x", "--model", "m", "--max-new-tokens", "-5"], ["--max-new-tokens -5"]),
    (["generate", "x", "--model", "m", "--max-new-tokens", "9223372036854775807"], ["--max-new-tokens 9223372036854775807"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--temperature", "1e-39"], ["temperature", "0.0001"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--temperature", "0"], ["temperature 0", "--strategy greedy"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--temperature", "-1"], ["temperature -1"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--temperature", "nan"], ["temperature nan"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--temperature", "inf"], ["temperature inf"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--top-p", "0"], ["--top-p 0", "--strategy greedy"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--top-p", "1.5"], ["top-p 1.5"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--top-p", "nan"], ["top-p nan"]),
    (["generate", "x", "--model", "m", "--strategy", "sample", "--top-k", "-3"], ["--top-k -3"]),
    (["generate", "x", "--model", "m", "--api", "http://127.0.0.1:1", "--api-top", "100000"], ["--api-top 100000"]),
    (["sample", "x", "--model", "m", "--temperature", "-0.5"], ["temperature -0.5"]),
    (["sample", "x", "--model", "m", "--show-dist", "--top", "-1"], ["--top -1"]),
    // Scores and other commands.
    (["prob", "", "--model", "m"], ["TEXT is empty"]),
    (["dpo-reward", "x", "--answers", "a|b", "--policy", "p", "--reference", "r", "--beta", "inf"], ["--beta inf"]),
    (["dpo-reward", "x", "--answers", "a|b", "--policy", "p", "--reference", "r", "--beta", "-1"], ["--beta -1"]),
    (["embed", "train", "--min-count", "0"], ["--min-count 0"]),
    (["embed", "train", "--window", "100000"], ["--window 100000"]),
    (["embed", "train", "--alpha", "inf"], ["--alpha inf"]),
    (["embed", "neighbors", "cat", "-k", "-1"], ["-k -1"]),
    (["embed", "map", "--width", "100000"], ["--width 100000"]),
    (["ngram", "generate", "--temperature", "1e-9"], ["--temperature", "--greedy"]),
    (["ngram", "generate", "--count", "-2"], ["--count -2"]),
    (["ngram", "perplexity", "--max-n", "9"], ["--max-n 9"]),
    (["ngram", "train", "--k", "inf", "--smoothing", "addk"], ["--k inf"]),
    (["corpus", "stats", "stories-en", "--top", "100000000"], ["--top 100000000"]),
    (["attention", "heads", "--tokens", "-1"], ["--tokens -1", "1…6"]),
    (["attention", "steps", "--dim", "100"], ["--dim 100", "1…16"]),
    (["bench", "kernels", "--pool-mib", "100000000"], ["--pool-mib 100000000"]),
    (["bench", "prefill", "--random-0.3b", "--tokens", "1000000"], ["--tokens 1000000"]),
    (["bench", "explorers", "--beams", "1000"], ["--beams 1000"]),
    (["bench", "explorers", "--size", "100000x100000"], ["--size 100000x100000", "1000x1000"]),
    (["check", "greedy", "--model", "m", "--api", "http://127.0.0.1:1", "--timeout", "nan"], ["--timeout nan"]),
    (["rnn", "vanishing", "--sequences", "0"], ["--sequences 0"]),
    // Bounds as a learner writes them: it said "outside 1.0…1000000000000.0" (walk14a finding 10).
    (["layer", "rope", "--theta", "0"], ["--theta 0 is outside 1…1e12", "a value in 1…1e12"]),
    (["layer", "rmsnorm", "--epsilon", "0.5"], ["--epsilon 0.5 is outside 1e-12…0.1"]),
    // A language no lesson is written in is refused, not replaced by the locale's.
    (["exercise", "list", "--lang", "fr"], ["--lang fr", "--lang en", "--lang zh"]),
    (["exercise", "hint", "tokenizer_bpe", "--lang", "fr"], ["--lang fr", "--lang en", "--lang zh"]),
]

@Test(arguments: usageCases)
func absurdOptionIsAUsageErrorNamingIt(_ arguments: [String], _ words: [String]) throws {
    let failure = try #require(usageFailure(arguments), "`lmlab \(arguments.joined(separator: " "))` was accepted")
    #expect(failure.code == 64, "\(failure.message)")
    for w in words { #expect(failure.message.contains(w), "\(failure.message) — missing \(w)") }
    #expect(!failure.message.contains("Missing value"), "a negative number is a value, not an option: \(failure.message)")
}

@Test func negativeLengthPenaltyIsAValueNotAnOption() throws {
    // α < 0 favours short sequences (transformers allows it): it must parse in `beam` and in `generate`.
    let beam = try BeamCommand.parse(["x", "--model", "m", "--length-penalty", "-0.5"])
    #expect(beam.settings().lengthPenalty == -0.5)
    let generate = try GenerateCommand.parse(["x", "--model", "m", "--strategy", "beam", "--length-penalty", "-0.5"])
    #expect(generate.beamSettings.lengthPenalty == -0.5)
}

@Test func boundsAreInTheHelp() {
    let help = LMLab.helpMessage(for: TrainTinyErnieCommand.self, columns: 200)
    for bound in ["Hidden size D (1…4096)", "Decoder layers (1…64)", "Sequences per step (1…1024)", "SwiGLU width F (1…16384)"] {
        #expect(help.contains(bound), "train tiny-ernie --help lacks \(bound)")
    }
    #expect(LMLab.helpMessage(for: GenerateCommand.self, columns: 200).contains("Number of beams (default 4; 1…64)"))
}

/// Runs `command` to the end; the error it throws, with its exit code.
private func runtimeFailure(_ arguments: [String]) throws -> (code: Int32, message: String)? {
    var command = try LMLab.parseAsRoot(arguments)
    do {
        try command.run()
        return nil
    } catch {
        return (LMLab.exitCode(for: error).rawValue, LMLab.message(for: error))
    }
}

@Test func maxNewTokensBeyondTheModelsContextFailsBeforeDecoding() throws {
    // The fixture's max_position_embeddings is 4096.
    // Named as typed: `beam` takes --steps and --max-new-tokens alike.
    for (command, option) in [(["generate", "Hello", "--max-new-tokens", "5000"], "--max-new-tokens"),
                              (["beam", "Hello", "--beams", "2", "--steps", "5000"], "--steps"),
                              (["beam", "Hello", "--beams", "2", "--max-new-tokens", "5000"], "--max-new-tokens")] {
        let failure = try #require(try runtimeFailure(command + ["--model", checkpoint]))
        #expect(failure.code == 1)
        #expect(failure.message.contains("\(option) 5000") && failure.message.contains("context of 4096 tokens"),
                "\(failure.message)")
        #expect(failure.message.contains("HINT: use \(option) 40"), "\(failure.message)")
    }
}

@Test func probWithNothingToScoreIsAnError() throws {
    // One id is context only: before, the perplexity printed as nan.
    let failure = try #require(try runtimeFailure(["prob", "--ids", "5", "--model", checkpoint]))
    #expect(failure.code == 1)
    #expect(failure.message.contains("nothing is scored"), "\(failure.message)")
}

@Test func embedMinCountAboveEveryWordIsAnError() throws {
    guard FileManager.default.fileExists(atPath: projectRoot.appendingPathComponent("Lessons/data").path) else { return }
    let failure = try #require(try runtimeFailure(["embed", "train", "--min-count", "1000000", "--quiet"]),
                               "an empty vocabulary was trained")
    #expect(failure.code == 1)
    #expect(failure.message.contains("--min-count 1000000 keeps fewer than two words of stories-en"), "\(failure.message)")
    #expect(failure.message.contains("HINT: use a --min-count of at most"), "\(failure.message)")
    let ngram = try #require(try runtimeFailure(["ngram", "train", "--min-count", "1000000"]), "every token became <unk>")
    #expect(ngram.code == 1)
    #expect(ngram.message.contains("--min-count 1000000 is above every token's count in stories-en"), "\(ngram.message)")
}

/// The binary itself: exit 64, no signal, in bounded time, with the option named on stderr.
@Test(arguments: [
    ["train", "tiny-ernie", "--hidden", "4611686018427387904"],
    ["train", "tiny-ernie", "--heads", "1000000", "--kv-heads", "1"],
    ["train", "tiny-ernie", "--layers", "100000000"],
    ["generate", "x", "--model", "tiny-ernie", "--strategy", "beam", "--beams", "4294967296"],
    ["generate", "x", "--model", "tiny-ernie", "--max-new-tokens", "-5"],
])
func binaryRefusesAbsurdSizesWithExit64(_ arguments: [String]) throws {
    guard let lmlab = builtLmlab() else { print("SKIPPED binaryRefusesAbsurdSizesWithExit64: no built lmlab next to the tests."); return }
    let run = try LabRun.run([lmlab] + arguments, directory: projectRoot.path, deadline: 30)
    let text = run.stderr
    #expect(run.ending == .exit(64), "exit 64, not \(run.ending): \(text)")
    let option = try #require(arguments.first { $0.hasPrefix("--") && !["--model", "--strategy"].contains($0) })
    #expect(text.contains(option.dropFirst(2)), "\(text)")
}

/// `sample --seed -1` said only that '-1' is not accepted: the option's help, shown under the error, says what is.
@Test func aNegativeSeedIsRefusedSayingWhatASeedIs() throws {
    for (language, words) in [(LessonLanguage.en, "a whole number ≥ 0"), (.zh, "不小于 0 的整数")] {
        let message = Learner.$language.withValue(language) {
            do { _ = try LMLab.parseAsRoot(["sample", "x", "--model", "m", "--seed", "-1"]); return "" } catch {
                return CommandFailure(error, command: SampleCommand.self).message
            }
        }
        #expect(message.contains("-1") && message.contains(words), "\(message)")
    }
}
