import Testing
@testable import ErnieTraining
