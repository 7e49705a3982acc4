// `prob x --modle tiny-ernie`: ArgumentParser reports the missing --model first; the lab names the mistyped option.
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

@Test func aMistypedOptionIsNamedWithTheOneMeant() {
    let completion = CommandCompletion(helpDump: LMLab._dumpHelp(), models: [])
    #expect(completion.unknownOption(in: ["prob", "猫", "--modle", "tiny-ernie"]) == "Unknown option '--modle'. Did you mean '--model'?")
    #expect(Learner.$language.withValue(.zh) { completion.unknownOption(in: ["prob", "猫", "--modle", "tiny-ernie"]) }
            == "没有 '--modle' 这个选项。你是说 '--model' 吗？")
    #expect(completion.unknownOption(in: ["bench", "decode", "--tokenz=5"])?.hasPrefix("Unknown option '--tokenz'.") == true)
    // Options the command takes, --help, and words after "--" are not flagged.
    #expect(completion.unknownOption(in: ["prob", "猫", "--model", "tiny-ernie", "--json"]) == nil)
    #expect(completion.unknownOption(in: ["generate", "--help"]) == nil)
    #expect(completion.unknownOption(in: ["prob", "--model", "m", "--", "--not-an-option"]) == nil)
}
