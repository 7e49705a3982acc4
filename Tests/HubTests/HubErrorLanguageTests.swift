// Every message that stops `lmlab download` is written in the learner's language, ends in a HINT, and keeps the
// values it names (repository, file, sizes) as they are; a Hugging Face that cannot be reached points at ModelScope.
import Foundation
import LabCore
import LabTestSupport
import Testing
@testable import Hub

private let everyError: [HubError] = [
    .unreachable(endpoint: "https://huggingface.co", repo: "baidu/ERNIE-4.5-0.3B-PT", reason: "R"),
    .unreachable(endpoint: "https://www.modelscope.cn", repo: "PaddlePaddle/ERNIE-4.5-0.3B-PT", reason: "R"),
    .repositoryNotFound(repo: "baidu/nope", endpoint: "https://huggingface.co", tokenSent: false),
    .repositoryNotFound(repo: "baidu/nope", endpoint: "https://huggingface.co", tokenSent: true),
    .revisionNotFound(repo: "baidu/x", revision: "v9"),
    .fileNotFound(repo: "baidu/x", revision: "main", file: "model.safetensors"),
    .accessDenied(repo: "baidu/x", status: 401, tokenSent: false, serverMessage: nil),
    .accessDenied(repo: "baidu/x", status: 403, tokenSent: true, serverMessage: "gated"),
    .httpStatus(url: "https://m.example/api", status: 502, serverMessage: "M"),
    .badResponse(url: "https://m.example/api", problem: "P"),
    .interrupted(file: "model.safetensors", received: 10, expected: 20, reason: "R"),
    .checksumMismatch(file: "model.safetensors", expected: "aa", actual: "bb"),
    .wrongLength(file: "model.safetensors", source: "https://m.example", expected: 20, received: 30, attempts: 2),
    .wrongLength(file: "model.safetensors", source: "https://m.example", expected: 20, received: 10, attempts: 1),
    .invalidRevision(revision: "../x", problem: "P"),
    .invalidRepository(repo: "x", problem: "P"),
    .outsideCache(path: "/etc/x", folder: "/cache", reason: "R"),
    .insufficientSpace(folder: "/cache", needed: 2_000_000_000, available: 1_000_000),
    .fileSystem(path: "/cache/x", reason: "R"),
    .badIndex(file: "model.safetensors.index.json", problem: "P"),
]

@Test func everyDownloadErrorSpeaksTheLearnersLanguageAndEndsInAHint() {
    for error in everyError {
        let en = Learner.$language.withValue(.en) { error.description }
        let zh = Learner.$language.withValue(.zh) { error.description }
        #expect(en.contains("HINT: ") && !en.contains("HINT："), "\(en)")
        // The payloads here are single letters; the ones the downloader fills in (the server's or the system's
        // details) stay as they come. "Hugging Face Hub" is a name.
        let problem = ChineseWording.problem(zh: zh.replacingOccurrences(of: "Hugging Face Hub", with: "Hub"), en: en)
        #expect(problem == nil, "\(problem ?? ""): \(zh)")
    }
}

/// An unreachable ModelScope, chosen because huggingface.co is out of reach, gets ModelScope's offline advice under
/// its ModelScope name, not huggingface-cli (w17 REPL walk 10).
@Test func anUnreachableHuggingFaceSuggestsModelScopeAndModelScopeGivesItsOwnAdvice() {
    let hub = HubError.unreachable(endpoint: "https://huggingface.co", repo: "baidu/ERNIE-4.5-0.3B-PT", reason: "timed out")
    let client = HubClient(endpoint: HubEndpoint(url: URL(string: "https://www.modelscope.cn")!, source: .modelscope),
                           remoteRepos: ["baidu/ERNIE-4.5-0.3B-PT": "PaddlePaddle/ERNIE-4.5-0.3B-PT"])
    #expect(client.messageRepo("baidu/ERNIE-4.5-0.3B-PT") == "PaddlePaddle/ERNIE-4.5-0.3B-PT")
    let scope = HubError.unreachable(endpoint: "https://www.modelscope.cn", repo: client.messageRepo("baidu/ERNIE-4.5-0.3B-PT"),
                                     reason: "timed out")
    for language in LessonLanguage.allCases {
        Learner.$language.withValue(language) {
            #expect(hub.description.contains("add --source modelscope") || hub.description.contains("加上 --source modelscope"))
            #expect(scope.description.contains("modelscope download --model PaddlePaddle/ERNIE-4.5-0.3B-PT"), "\(scope)")
            #expect(!scope.description.contains("huggingface-cli") && !scope.description.contains("加上 --source modelscope")
                    && !scope.description.contains("add --source modelscope"), "\(scope)")
        }
    }
}
