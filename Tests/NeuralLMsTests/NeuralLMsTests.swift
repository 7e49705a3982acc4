import Testing
@testable import NeuralLMs
