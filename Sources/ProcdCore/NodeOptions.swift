/// NODE_OPTIONS for a cluster-mode app: the app's own options, then `--require PATH`.
/// Node splits NODE_OPTIONS like a shell does with double quotes, so the path is quoted.
public enum NodeOptions {
    public static func appendingRequire(_ path: String, to existing: String?) -> String {
        var quoted = "\""
        for character in path {
            if character == "\"" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted += "\""
        let own = existing.map { $0.isEmpty ? "" : $0 + " " } ?? ""
        return own + "--require " + quoted
    }
}
