import ProcdCore

/// Stable error codes of the wire protocol. A code never changes meaning.
public enum ErrorCode: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case unknownCommand = "unknown_command"
    case invalidArgument = "invalid_argument"
    case notFound = "not_found"
    case alreadyExists = "already_exists"
    case spawnFailed = "spawn_failed"
    case forbidden = "forbidden"
    case tooLarge = "too_large"
    case internalError = "internal"
    /// The change took effect but `state.json` (or `dump.json`) could not be written.
    case notSaved = "not_saved"
}

/// A failure reported to the client: a stable code and a message for people.
public struct WireError: Error, Equatable, Sendable {
    public var code: ErrorCode
    public var message: String
    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// One request line: `{"id":N,"cmd":"list","args":{…}}`.
public struct Request: Equatable, Sendable {
    public var id: Int
    public var command: String
    public var args: JSON

    public init(id: Int, command: String, args: JSON = .object([:])) {
        self.id = id
        self.command = command
        self.args = args
    }

    public var json: JSON { .object(["id": .int(id), "cmd": .string(command), "args": args]) }

    /// Decodes one line. On failure the error carries the request id when it could be read.
    public static func decode(_ line: [UInt8]) -> Result<Request, RequestFailure> {
        let value: JSON
        do {
            value = try JSONParser.parse(bytes: line)
        } catch {
            return .failure(RequestFailure(id: nil, error: WireError(.badRequest, "invalid JSON: \(error)")))
        }
        guard case .object = value else {
            return .failure(RequestFailure(id: nil, error: WireError(.badRequest, "a request must be a JSON object")))
        }
        let id = value["id"]?.intValue
        guard let id else {
            return .failure(RequestFailure(id: nil, error: WireError(.badRequest, "'id' must be a whole number")))
        }
        guard let command = value["cmd"]?.stringValue else {
            return .failure(RequestFailure(id: id, error: WireError(.badRequest, "'cmd' must be a string")))
        }
        let args = value["args"] ?? .object([:])
        guard case .object = args else {
            return .failure(RequestFailure(id: id, error: WireError(.badRequest, "'args' must be an object")))
        }
        return .success(Request(id: id, command: command, args: args))
    }
}

public struct RequestFailure: Error, Sendable {
    public var id: Int?
    public var error: WireError
}

/// One reply line: a result, an error, or (for streams) an event.
public enum Reply: Equatable, Sendable {
    case success(id: Int?, result: JSON)
    case failure(id: Int?, WireError)
    case event(id: Int, JSON)

    public var json: JSON {
        switch self {
        case .success(let id, let result):
            return .object(["id": id.map { .int($0) } ?? .null, "ok": .bool(true), "result": result])
        case .failure(let id, let error):
            return .object([
                "id": id.map { .int($0) } ?? .null, "ok": .bool(false),
                "error": .object(["code": .string(error.code.rawValue), "message": .string(error.message)]),
            ])
        case .event(let id, let payload):
            return .object(["id": .int(id), "event": payload])
        }
    }

    /// The line to send, newline included.
    public var line: String { json.serialized() + "\n" }

    /// The line to send as UTF-8 bytes, newline included.
    public var lineBytes: [UInt8] {
        var bytes = json.serializedBytes()
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    public static func decode(_ line: [UInt8]) -> Reply? {
        guard let value = try? JSONParser.parse(bytes: line), case .object = value else { return nil }
        let id = value["id"]?.intValue
        if let event = value["event"], let id { return .event(id: id, event) }
        if value["ok"]?.boolValue == true { return .success(id: id, result: value["result"] ?? .null) }
        guard let error = value["error"] else { return nil }
        let code = error["code"]?.stringValue.flatMap(ErrorCode.init(rawValue:)) ?? .internalError
        return .failure(id: id, WireError(code, error["message"]?.stringValue ?? "unknown error"))
    }
}
