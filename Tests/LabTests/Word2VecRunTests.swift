// Word2VecRun: a Ctrl-C pressed while a training command is still loading its corpus or model (the first seconds of lesson 5's
// `w2v-train`) stops the run at its first check: the trainers used to reset the request once loading was done, so
// every step ran and the cell was called cancelled only at the end (walk 16).
import ClassicLMs
import Foundation
import LabCore
import Testing
@testable import Lab

@Test func aCtrlCBeforeWord2VecTrainingStartsStopsItAtOnce() throws {
    let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Lessons/data")
    let corpus = try Corpus(CorpusSpec.named("stories-en"), dataDirectory: data)
    var config = Word2VecConfig()
    config.dimension = 8; config.epochs = 3; config.threads = 1
    let scope = CancellationScope()
    let report = try Cancellation.$scope.withValue(scope) {
        Cancellation.request(in: scope)                   // pressed while the corpus loaded
        return try Word2VecRun.train(corpus, config: config, quiet: true).1
    }
    print("trained \(report.words) words, \(report.epochs) epochs, cancelled: \(report.cancelled)")
    #expect(report.cancelled && report.epochs < 0.1)
}

/// `embed --model` reads a name under Models/ and a folder as well as a file; the lessons' project-relative paths are
/// found from any folder (here the test's, whatever it is).
@Test func embedModelNamesAFileAFolderOrANameUnderModels() throws {
    let root = try #require(ProjectPaths.root())
    let file = root.appendingPathComponent("Models/word2vec-stories-en/vectors.safetensors").standardizedFileURL.path
    for given in ["word2vec-stories-en", root.appendingPathComponent("Models/word2vec-stories-en").path, file] {
        #expect(Word2VecRun.vectorsFile(given).standardizedFileURL.path == file, "\(given)")
    }
    #expect(Word2VecRun.vectorsFile("/no/such/vectors.safetensors").path == "/no/such/vectors.safetensors")
}
