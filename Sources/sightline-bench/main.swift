// sightline-bench: speed measurements run by scripts/bench-*. Not a test: it prints figures and ratios.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let which = arguments.first else {
    FileHandle.standardError.write(Data("usage: sightline-bench decode|scoring|model [options]\n".utf8))
    exit(2)
}
let rest = Array(arguments.dropFirst())
switch which {
case "decode": try DecodeBenchmark.run(rest)
case "scoring": try ScoringBenchmark.run(rest)
case "model": try ModelBenchmark.run(rest)
default:
    FileHandle.standardError.write(Data("unknown benchmark \(which)\n".utf8))
    exit(2)
}
