import Foundation
import Testing
@testable import VisionModel

/// The checkpoint reader on crafted files (zip format) and on the real weights (legacy format).
@Suite struct StateDictTests {
    @Test func readsAStridedFloatTensorFromAZipCheckpoint() throws {
        let dict = try StateDict(bytes: CheckpointBuilder.validCheckpoint())
        #expect(dict.keys == ["w", "b", "n"])
        let w = try dict.tensor("w")
        #expect(w.shape == [2, 2])
        // w[i][j] = storage[1 + i + 2j]
        #expect(w.values == [1, 3, 2, 4])
        #expect(try dict.tensor("b", shape: [3]).values == [-1.5, 0.25, 7])
        #expect(dict.containsFloatTensor("b"))
        #expect(!dict.containsFloatTensor("n"))
    }

    @Test func refusesBytesThatAreNotACheckpoint() {
        let cases: [[UInt8]] = [Array("hello, this is not a zip file at all".utf8), [], [0x50, 0x4B], Array(repeating: 0x80, count: 64)]
        for bytes in cases {
            #expect {
                try StateDict(bytes: bytes)
            } throws: { error in
                (error as? VisionModelError)?.kind == .notACheckpoint || (error as? VisionModelError)?.kind == .malformedArchive
            }
        }
        #expect(throws: VisionModelError(.notACheckpoint, "not a PyTorch checkpoint: neither a zip archive nor a legacy torch.save file")) {
            try StateDict(bytes: Array("plain text".utf8))
        }
    }

    @Test func refusesAZipWithoutAPickle() {
        let bytes = CheckpointBuilder.zip([("archive/version", Array("3\n".utf8))])
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .notACheckpoint }
    }

    @Test func refusesUnknownGlobals() {
        let globals = [("os", "system"), ("builtins", "eval"), ("torch", "HalfStorage"), ("torch._utils", "_rebuild_parameter")]
        for (module, name) in globals {
            let pickle = CheckpointBuilder.Pickle.stateDict { p in
                p.string("w")
                if module == "torch" {
                    p.tensor(storageClass: name, key: "0", elements: 6, offset: 0, shape: [6], strides: [1])
                } else {
                    p.tensor(storageClass: "FloatStorage", key: "0", elements: 6, offset: 0, shape: [6], strides: [1], rebuild: (module, name))
                }
            }
            let bytes = CheckpointBuilder.checkpoint(pickle: pickle, storages: [("0", CheckpointBuilder.floatBytes([0, 1, 2, 3, 4, 5]))])
            #expect {
                try StateDict(bytes: bytes)
            } throws: { error in
                guard let error = error as? VisionModelError else { return false }
                return error.kind == .forbiddenGlobal && error.message.contains("\(module).\(name)")
            }
        }
    }

    @Test func refusesAFloatReadOfAnInt64Tensor() throws {
        let dict = try StateDict(bytes: CheckpointBuilder.validCheckpoint(wStorageClass: "LongStorage"))
        #expect { try dict.tensor("w") } throws: { ($0 as? VisionModelError)?.kind == .wrongDType }
        #expect { try dict.tensor("n") } throws: { ($0 as? VisionModelError)?.kind == .wrongDType }
        #expect { try dict.tensor("missing") } throws: { ($0 as? VisionModelError)?.kind == .missingTensor }
        #expect { try dict.tensor("b", shape: [4]) } throws: { ($0 as? VisionModelError)?.kind == .wrongShape }
    }

    @Test func refusesOpcodesOutsideTheStateDictSet() {
        // INST ('i') and NEWOBJ (0x81) would construct arbitrary objects.
        for opcode: UInt8 in [0x69, 0x81, 0x6F] {
            var pickle = CheckpointBuilder.Pickle()
            pickle.op(opcode)
            let bytes = CheckpointBuilder.checkpoint(pickle: pickle.bytes + [0x2E], storages: [])
            #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .unsupportedOpcode }
        }
    }

    @Test func refusesStoragesThatAreTooShortOrMissing() {
        let pickle = CheckpointBuilder.Pickle.stateDict { p in
            p.string("w")
            p.tensor(storageClass: "FloatStorage", key: "0", elements: 6, offset: 2, shape: [6], strides: [1])
        }
        // The view reaches element 7 of a 6-element storage.
        let overrun = CheckpointBuilder.checkpoint(pickle: pickle, storages: [("0", CheckpointBuilder.floatBytes([0, 1, 2, 3, 4, 5]))])
        #expect { try StateDict(bytes: overrun) } throws: { ($0 as? VisionModelError)?.kind == .invalidStorage }
        let short = CheckpointBuilder.checkpoint(pickle: pickle, storages: [("0", CheckpointBuilder.floatBytes([0, 1]))])
        #expect { try StateDict(bytes: short) } throws: { ($0 as? VisionModelError)?.kind == .invalidStorage }
        let missing = CheckpointBuilder.checkpoint(pickle: pickle, storages: [])
        #expect { try StateDict(bytes: missing) } throws: { ($0 as? VisionModelError)?.kind == .invalidStorage }
    }

    @Test func refusesCompressedMembersAndTruncatedArchives() {
        let compressed = CheckpointBuilder.zip([("archive/data.pkl", [0x80, 0x02, 0x7D, 0x2E])], method: 8)
        #expect { try StateDict(bytes: compressed) } throws: { ($0 as? VisionModelError)?.kind == .malformedArchive }
        let valid = CheckpointBuilder.validCheckpoint()
        let truncated = Array(valid.prefix(valid.count - 30))
        #expect(throws: VisionModelError.self) { try StateDict(bytes: truncated) }
        var truncatedPickle = CheckpointBuilder.Pickle()
        truncatedPickle.string("unterminated")
        let bytes = CheckpointBuilder.checkpoint(pickle: truncatedPickle.bytes, storages: [])
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .malformedPickle }
    }

    @Test func refusesARootThatIsNotAStateDict() {
        var pickle = CheckpointBuilder.Pickle()
        pickle.string("just a string")
        pickle.op(0x2E)
        let bytes = CheckpointBuilder.checkpoint(pickle: pickle.bytes, storages: [])
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .malformedPickle }
    }

    @Test func readsTheRealWeightsFile() throws {
        let path = ModelFixtures.weightsPath
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("model weights not found at \(path): run scripts/test (it fetches them) or set SIGHTLINE_MODEL_WEIGHTS")
            return
        }
        let dict = try StateDict(contentsOf: path)
        // 296 entries: 247 float32 tensors and 49 int64 num_batches_tracked.
        #expect(dict.count == 296)
        #expect(dict.keys.filter { dict.containsFloatTensor($0) }.count == 247)
        #expect(try dict.tensor("_blocks.11._depthwise_conv.weight").shape == [672, 1, 5, 5])
        #expect(try dict.tensor("_fc.weight").shape == [1000, 1280])
        var parameters = 0
        for key in dict.keys where dict.containsFloatTensor(key) && !key.hasSuffix("running_mean") && !key.hasSuffix("running_var") {
            parameters += try dict.tensor(key).count
        }
        #expect(parameters == 4_652_008)
        #expect { try dict.tensor("_bn0.num_batches_tracked") } throws: { ($0 as? VisionModelError)?.kind == .wrongDType }
    }

    @Test func refusesALegacyFileCutShort() throws {
        let path = ModelFixtures.weightsPath
        guard let data = FileManager.default.contents(atPath: path) else {
            Issue.record("model weights not found at \(path): run scripts/test (it fetches them) or set SIGHTLINE_MODEL_WEIGHTS")
            return
        }
        let bytes = [UInt8](data.prefix(data.count - 1000))
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .invalidStorage }
    }
}

/// Hostile pickles: deep nesting and broadcast views are refused, not crashed on.
@Suite struct HostilePickleTests {
    @Test func refusesDeeplyNestedContainers() {
        var pickle = CheckpointBuilder.Pickle()
        pickle.op(0x4E)  // NONE
        for _ in 0..<100_000 { pickle.op(0x85) }  // TUPLE1
        pickle.op(0x2E)
        let bytes = CheckpointBuilder.checkpoint(pickle: pickle.bytes, storages: [])
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .malformedPickle }
    }

    @Test func refusesAViewLargerThanItsStorage() {
        // A stride-0 "broadcast" of one float to 2^40 elements.
        let pickle = CheckpointBuilder.Pickle.stateDict { p in
            p.string("w")
            p.tensor(storageClass: "FloatStorage", key: "0", elements: 1, offset: 0, shape: [1 << 20, 1 << 20], strides: [0, 0])
        }
        let bytes = CheckpointBuilder.checkpoint(pickle: pickle, storages: [("0", CheckpointBuilder.floatBytes([1]))])
        #expect { try StateDict(bytes: bytes) } throws: { ($0 as? VisionModelError)?.kind == .invalidStorage }
    }
}
