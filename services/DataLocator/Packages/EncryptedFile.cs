using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using Closely.BuildingBlocks.Privacy;

namespace Closely.DataLocator.Packages;

/// <summary>
/// A file of the package store, encrypted at rest in chunks of <see cref="ChunkSize"/> bytes, so that a package of
/// any size is written and read as a stream. Each chunk is sealed by <see cref="PersonalDataProtector"/> (AES-256-GCM
/// under the active key) bound to the file's name, its position and whether it is the last: a chunk moved, swapped,
/// dropped or cut off does not decrypt. On disk: per chunk a flag byte (1 = last), its length (int32) and its ciphertext.
/// </summary>
internal static class EncryptedFile
{
    public const int ChunkSize = 64 * 1024;

    /// <summary>A write-only stream that encrypts into <paramref name="path"/>; disposing it seals the last chunk.</summary>
    public static Stream Create(PersonalDataProtector protector, string path, string name) =>
        new Writer(protector, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, useAsync: false), name);

    /// <summary>A read-only stream of the decrypted content; throws <see cref="CryptographicException"/> on tampering or truncation.</summary>
    public static Stream Open(PersonalDataProtector protector, string path, string name) =>
        new Reader(protector, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: false), name);

    private static EncryptionContext Context(string name, long index, bool last) =>
        new("package-store", name, string.Create(CultureInfo.InvariantCulture, $"{index}{(last ? "|last" : "")}"));

    private sealed class Writer(PersonalDataProtector protector, FileStream file, string name) : Stream
    {
        private readonly MemoryStream _chunk = new(ChunkSize);
        private long _index;
        private bool _sealed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (buffer.Length > 0)
            {
                var take = Math.Min(buffer.Length, ChunkSize - (int)_chunk.Length);
                _chunk.Write(buffer[..take]);
                buffer = buffer[take..];
                if (_chunk.Length == ChunkSize)
                {
                    WriteChunk(last: false);
                }
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_sealed)
            {
                _sealed = true;
                WriteChunk(last: true);
                file.Flush(flushToDisk: true);
                file.Dispose();
                _chunk.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            Dispose(true);
            await base.DisposeAsync();
            GC.SuppressFinalize(this);
        }

        private void WriteChunk(bool last)
        {
            var sealedChunk = protector.EncryptBytes(_chunk.ToArray(), Context(name, _index++, last));
            Span<byte> header = stackalloc byte[5];
            header[0] = last ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32LittleEndian(header[1..], sealedChunk.Length);
            file.Write(header);
            file.Write(sealedChunk);
            _chunk.SetLength(0);
        }
    }

    private sealed class Reader(PersonalDataProtector protector, FileStream file, string name) : Stream
    {
        private byte[] _plain = [];
        private int _offset;
        private long _index;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_offset == _plain.Length)
            {
                if (_ended)
                {
                    return 0;
                }

                NextChunk();
            }

            var take = Math.Min(buffer.Length, _plain.Length - _offset);
            _plain.AsSpan(_offset, take).CopyTo(buffer);
            _offset += take;
            return take;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }

        private void NextChunk()
        {
            Span<byte> header = stackalloc byte[5];
            if (file.ReadAtLeast(header, 5, throwOnEndOfStream: false) < 5)
            {
                throw new CryptographicException($"Package file '{name}' is cut short.");
            }

            var last = header[0] == 1;
            var sealedChunk = new byte[BinaryPrimitives.ReadInt32LittleEndian(header[1..])];
            file.ReadExactly(sealedChunk);
            _plain = protector.DecryptBytes(sealedChunk, Context(name, _index++, last));
            _offset = 0;
            _ended = last;
        }
    }
}
