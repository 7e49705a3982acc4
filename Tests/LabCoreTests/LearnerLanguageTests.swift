import Testing
@testable import LabCore

@Suite struct LearnerLanguageTests {
    @Test func lmlabLangComesBeforeTheLocale() {
        #expect(LessonLanguage.fromEnvironment(["LMLAB_LANG": "zh", "LANG": "en_US.UTF-8"]) == .zh)
        #expect(LessonLanguage.fromEnvironment(["LMLAB_LANG": "en", "LC_ALL": "zh_CN.UTF-8"]) == .en)
        #expect(LessonLanguage.fromEnvironment(["LANG": "zh_CN.UTF-8"]) == .zh)
        #expect(LessonLanguage.fromEnvironment([:]) == .en)
    }

    @Test func aBoundLanguageChoosesTheWordingBelowIt() {
        let zh = Learner.$language.withValue(.zh) { Learner.text("perplexity", "困惑度") }
        let en = Learner.$language.withValue(.en) { Learner.text("perplexity", "困惑度") }
        #expect(zh == "困惑度")
        #expect(en == "perplexity")
    }
}
