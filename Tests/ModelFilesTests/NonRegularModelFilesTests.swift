// A model folder from a stranger can put a FIFO or a device where a file goes (hostile-input audit 14): a FIFO as
// model.safetensors blocked open(2) for ever (F9), and /dev/zero as config.json was called a permission problem
// (F10). Each is now refused at once, naming the file and what stands there. Names and values a file holds are
// quoted short in errors, with their control characters escaped (F8).
import Foundation
import LabCore
import Testing
@testable import ModelFiles

@Suite struct NonRegularModelFilesTests {
    @Test func aFifoAsACheckpointIsRefusedWithoutBlocking() throws {
        let dir = ScratchDirectory("fifo")
        defer { dir.remove() }
        let fifo = dir.url.appendingPathComponent("model.safetensors")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        // Before, open(2) waited here for a writer that never comes.
        let error = #expect(throws: SafetensorsError.self) { _ = try SafetensorsFile(url: fifo) }
        #expect(error == .notRegularFile(file: fifo.path, found: "a FIFO (named pipe)"))
        let message = error?.description ?? ""
        print(message)
        #expect(message.hasPrefix(fifo.path + ": is a FIFO (named pipe), not a regular file. HINT:"))
        // A sharded checkpoint's index as a FIFO: the same.
        let index = dir.url.appendingPathComponent("model.safetensors.index.json")
        #expect(mkfifo(index.path, 0o600) == 0)
        let indexError = #expect(throws: SafetensorsError.self) { _ = try ShardedSafetensors(indexURL: index) }
        #expect(indexError == .notRegularFile(file: index.path, found: "a FIFO (named pipe)"))
        // A regular file still maps.
        let file = dir.write(rawSafetensors(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                                            data: [0, 0, 128, 63]), to: "ok.safetensors")
        #expect(try SafetensorsFile(url: file).tensorNames == ["w"])
    }

    @Test func aDeviceAsConfigJsonIsNamedNotCalledAPermissionProblem() throws {
        let dir = ScratchDirectory("device")
        defer { dir.remove() }
        let config = dir.url.appendingPathComponent("config.json")
        try FileManager.default.createSymbolicLink(atPath: config.path, withDestinationPath: "/dev/zero")
        let error = #expect(throws: ConfigError.self) { _ = try loadJSONConfig(GenerationConfig.self, from: config) }
        #expect(error == .notRegularFile(file: "config.json", found: "a character device"))
        let message = error?.description ?? ""
        print(message)
        #expect(message.hasPrefix("config.json: is a character device, not a regular file. HINT:"))
        #expect(!message.contains("permission"))
        let fifo = dir.url.appendingPathComponent("tokenizer_config.json")
        #expect(mkfifo(fifo.path, 0o600) == 0)
        let fifoError = #expect(throws: ConfigError.self) { _ = try TokenizerConfig.load(from: fifo) }
        #expect(fifoError == .notRegularFile(file: "tokenizer_config.json", found: "a FIFO (named pipe)"))
    }

    @Test func whatAFileHoldsIsQuotedShortAndEscapedInErrors() throws {
        let name = "\u{1B}]52;c;cHduZWQ=\u{7}" + String(repeating: "w", count: 100_000)
        let message = SafetensorsError.duplicateTensor(file: "m.safetensors", tensor: name).description
        print(message)
        #expect(message.hasPrefix("m.safetensors: tensor \"\\u{1b}]52;c;cHduZWQ=\\u{7}www"))
        #expect(message.contains("…\" (100016 characters) is listed twice"))
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(message.count < 300)
        // A JSON key from a stranger's config file: the same.
        let json = try JSONSerialization.data(withJSONObject: ["added_tokens_decoder": [name: ["content": "x"]]])
        let configError = #expect(throws: ConfigError.self) {
            _ = try decodeJSONConfig(TokenizerConfig.self, from: json, file: "tokenizer_config.json")
        }
        let configMessage = configError?.description ?? ""
        print(configMessage)
        #expect(!configMessage.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(configMessage.count < 600, "\(configMessage.count) characters")
        // A value config.json holds: model_type.
        var config = ERNIEConfig.ernie45_0_3B
        config.modelType = name
        let typeError = #expect(throws: ConfigError.self) { try config.validate(file: "config.json") }
        let typeMessage = typeError?.description ?? ""
        #expect(typeMessage.hasPrefix("config.json: key \"model_type\": \"\\u{1b}]52;c;cHduZWQ=\\u{7}www"))
        #expect(typeMessage.contains("…\" (100016 characters) is not an ERNIE-4.5 model") && typeMessage.count < 400)
    }
}
