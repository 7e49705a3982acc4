// The harness `lmlab exercise check bigram_counter` compiles with your file.
//   lab → harness:  one sentence per line, tokens separated by spaces, then a line END
//   harness → lab:  RESULT <first> <second> <count>   (one line per bigram), then DONE
import Foundation

labEndWithTheLab()
var sentences: [[String]] = []
while let line = readLine(strippingNewline: true), line != "END" {
    sentences.append(line.split(separator: " ").map(String.init))
}
let counts = countBigrams(sentences)
for (first, row) in counts.sorted(by: { $0.key < $1.key }) {
    for (second, n) in row.sorted(by: { $0.key < $1.key }) { print("RESULT \(first) \(second) \(n)") }
}
print("DONE")
fflush(stdout)
