// What `lmlab serve` prints under its URL says that the model is served as an API, in both languages
// ("正在提供 tiny-ernie" read as handing the model out).
import LabCore
import Testing
@testable import Serve

@Test func theServingNoteSaysItIsAnAPI() {
    let zh = Learner.$language.withValue(.zh) { ServeLoop.servingNote("tiny-ernie", contextLength: 4096) }
    let en = Learner.$language.withValue(.en) { ServeLoop.servingNote("tiny-ernie", contextLength: 4096) }
    #expect(zh == "正在以 OpenAI 兼容 API 提供 tiny-ernie（上下文 4096 个词元）；Ctrl-C 停止")
    #expect(en == "serving tiny-ernie as an OpenAI-compatible API (context 4096 tokens); Ctrl-C stops")
}
