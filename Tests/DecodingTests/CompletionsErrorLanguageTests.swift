// Every message of a server that cannot be used is written in the learner's language and ends in a HINT; a server
// that does not answer points first at the lab's own (`lmlab serve`, as lesson 10 starts it).
import Decoding
import Foundation
import LabCore
import LabTestSupport
import Testing

private let everyError: [CompletionsError] = [
    .connectionFailed(url: "http://127.0.0.1:8080/v1/completions", detail: "D"),
    .timedOut(url: "http://127.0.0.1:8080/v1/completions", seconds: 0.5),
    .httpStatus(url: "http://127.0.0.1:8080/v1/completions", status: 404, message: ""),
    .httpStatus(url: "http://127.0.0.1:8080/v1/completions", status: 422, message: "M"),
    .httpStatus(url: "http://127.0.0.1:8080/v1/completions", status: 401, message: ""),
    .httpStatus(url: "http://127.0.0.1:8080/v1/completions", status: 500, message: "M"),
    .malformedJSON(url: "http://127.0.0.1:8080/v1/completions", detail: "D", snippet: "<html>"),
    .missingLogprobs(url: "http://127.0.0.1:8080/v1/completions"),
    .badURL("::"),
]

@Test func everyCompletionsErrorSpeaksTheLearnersLanguageAndEndsInAHint() {
    for error in everyError {
        let en = Learner.$language.withValue(.en) { error.description }
        let zh = Learner.$language.withValue(.zh) { error.description }
        #expect(en.contains("HINT: ") && !en.contains("HINT："), "\(en)")
        let problem = ChineseWording.problem(zh: zh, en: en)
        #expect(problem == nil, "\(problem ?? ""): \(zh)")
    }
}

@Test func aServerThatDoesNotAnswerPointsAtTheLabsOwnServerFirst() throws {
    let refused = CompletionsError.connectionFailed(url: "http://127.0.0.1:8080/v1/completions", detail: "D")
    for language in LessonLanguage.allCases {
        let text = Learner.$language.withValue(language) { refused.description }
        let serve = try #require(text.range(of: "`lmlab serve --model tiny-ernie --port 8080`"), "\(text)")
        let other = try #require(text.range(of: language == .zh ? "检查主机和端口" : "check the host and port"))
        #expect(serve.upperBound < other.lowerBound, "\(text)")
        #expect(!text.contains("llama_cpp"), "\(text)")
        // The port the learner used, not the lesson's (walk 15, finding 14).
        let elsewhere = CompletionsError.connectionFailed(url: "http://127.0.0.1:8099/v1/completions", detail: "D")
        let told = Learner.$language.withValue(language) { elsewhere.description }
        #expect(told.contains("`lmlab serve --model tiny-ernie --port 8099`") && !told.contains("8080"), "\(told)")
    }
}

@Test func theDetailsOfAFailedDecodeAreChineseForAChineseLearner() throws {
    let bodies = ["<html>502</html>", #"{"object": "text_completion"}"#, #"{"choices": [1]}"#]
    for body in bodies {
        let zh = Learner.$language.withValue(.zh) { () -> String in
            do { _ = try CompletionResponse.decode(Data(body.utf8), url: "u"); return "decoded" } catch {
                return "\(error)"
            }
        }
        #expect(zh.hasPrefix("u：回答不是") && ChineseWording.englishRun(in: zh) == nil, "\(zh)")
    }
}
