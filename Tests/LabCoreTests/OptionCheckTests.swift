// The range checks libraries run on a command's options: the message names the option, the value and the range
// (the command line shows it as a usage error), and --lang takes en or zh in any case, else says which it takes.
import Testing
@testable import LabCore

@Test func aValueOutsideItsRangeIsNamedWithTheRange() throws {
    try OptionCheck.range("--layers", 64, 1...64)
    try OptionCheck.range("--batch", nil as Int?, 1...8)
    let error = #expect(throws: OptionError.self) { try OptionCheck.range("--layers", 100_000_000, 1...64) }
    #expect(error?.description
        == "--layers 100000000 is outside 1…64. HINT: give --layers a value in 1…64 (see --help).")
    let hinted = #expect(throws: OptionError.self) { try OptionCheck.range("--top-k", 9, 1...8, hint: "k of 8.") }
    #expect(hinted?.description.hasSuffix("HINT: k of 8.") == true)
    #expect(throws: OptionError.self) { try OptionCheck.range("--beta", Double.nan, 0...100) }
}

@Test func aRateMustBeAboveZeroAndAtMostItsMaximum() throws {
    try OptionCheck.positive("--lr", 0.1, maximum: 1)
    try OptionCheck.positive("--lr", nil as Double?, maximum: 1)
    for (bad, written) in [(0, "0"), (-1, "-1"), (2, "2"), (Double.infinity, "inf"), (Double.nan, "nan"), (1.5, "1.5")] {
        let error = #expect(throws: OptionError.self) { try OptionCheck.positive("--lr", bad, maximum: 1) }
        #expect(error?.description.hasPrefix("--lr \(written) must be a number above 0 and at most 1.") == true,
                "\(error?.description ?? "")")
    }
}

@Test func langTakesEnOrZhInAnyCase() throws {
    #expect(try LessonLanguage(option: "ZH") == .zh)
    #expect(try LessonLanguage(option: "en") == .en)
    #expect(try Learner.$language.withValue(.zh) { try LessonLanguage(option: nil) } == .zh)
    let error = #expect(throws: OptionError.self) { try LessonLanguage(option: "fr") }
    #expect(error?.description == "--lang fr: unknown language. HINT: use --lang en or --lang zh.")
}
