using System.Diagnostics.CodeAnalysis;

namespace JobManagement.Sqlite;

/// <summary>What <see cref="JournalBodyCodec.Encode"/> gives for an entry: its body and checksum columns, as stored.</summary>
/// <param name="Body">The body: canonical UTF-8 JSON of the fields that are not columns of their own.</param>
/// <param name="Checksum">The checksum over the stored bytes (16 bytes).</param>
[SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "Column values handed to a database driver, which takes byte arrays.")]
internal readonly record struct JournalBody(byte[] Body, byte[] Checksum);
