using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>A DbContext with encrypted columns: the <see cref="EncryptedColumnsInterceptor"/> encrypts and decrypts with its protector.</summary>
public interface IEncryptingDbContext
{
    PersonalDataProtector Protector { get; }
}

/// <summary>
/// Personal data the entity holds in plain text and the table holds encrypted, bound to its table, column and
/// row (<see cref="EncryptionContext"/>). The entity's property is not mapped; a shadow property
/// <c>&lt;Property&gt;Encrypted</c> holds the ciphertext, which <see cref="EncryptedColumnsInterceptor"/> fills
/// before a save and decrypts into the property when a row is read. Queries may not filter on or project the
/// plain property (look values up through a blind index instead).
/// </summary>
public static class EncryptedColumns
{
    /// <summary>On the shadow property: the name of the plain property it holds encrypted.</summary>
    public const string Annotation = "Closely:EncryptedFrom";

    private static readonly ConcurrentDictionary<IReadOnlyEntityType, IReadOnlyList<EncryptedColumn>> Columns = new();

    /// <summary>
    /// Stores <paramref name="property"/> (a <see cref="string"/> or <see cref="byte"/>[]) encrypted in the bytea column
    /// <paramref name="column"/>; null when the property is nullable. The entity's key must be a single column, and the
    /// property must be classified <see cref="PersonalDataAttribute"/>.
    /// </summary>
    public static EntityTypeBuilder<TEntity> HasEncryptedColumn<TEntity, TValue>(
        this EntityTypeBuilder<TEntity> entity, Expression<Func<TEntity, TValue>> property, string column)
        where TEntity : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        ArgumentNullException.ThrowIfNull(property);
        if (property.Body is not MemberExpression { Member: PropertyInfo member } || (typeof(TValue) != typeof(string) && typeof(TValue) != typeof(byte[])))
        {
            throw new ArgumentException("An encrypted column holds a string or byte[] property of the entity.", nameof(property));
        }

        if (member.GetCustomAttribute<PersonalDataAttribute>() is null)
        {
            // What is worth encrypting is worth keeping out of the logs: the classification makes logging redact it.
            throw new ArgumentException($"{typeof(TEntity).Name}.{member.Name} is stored encrypted: mark it [PersonalData].", nameof(property));
        }

        entity.Ignore(member.Name);
        var nullable = new NullabilityInfoContext().Create(member).ReadState == NullabilityState.Nullable;
        entity.Property<byte[]>(member.Name + "Encrypted")
            .HasColumnName(column)
            .IsRequired(!nullable)
            .HasAnnotation(Annotation, member.Name);
        return entity;
    }

    /// <summary>The encrypted columns of an entity type; none for most.</summary>
    public static IReadOnlyList<EncryptedColumn> Of(IReadOnlyEntityType entityType) =>
        Columns.GetOrAdd(entityType, static type => type.GetProperties()
            .Where(p => p.FindAnnotation(Annotation) is not null)
            .Select(p => EncryptedColumn.For(type, p))
            .ToList());

    /// <summary>Every encrypted column of a model.</summary>
    public static IEnumerable<EncryptedColumn> Of(IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GetEntityTypes().SelectMany(Of);
    }
}

/// <summary>One encrypted column: where it is, which property it holds, and how a row's value is encrypted.</summary>
public sealed class EncryptedColumn
{
    private EncryptedColumn(IReadOnlyProperty cipher, PropertyInfo plain, IReadOnlyProperty key, string schema, string table, string column, string keyColumn)
    {
        Cipher = cipher;
        Plain = plain;
        Key = key;
        Schema = schema;
        Table = table;
        Column = column;
        KeyColumn = keyColumn;
    }

    /// <summary>The shadow property that holds the ciphertext.</summary>
    public IReadOnlyProperty Cipher { get; }

    /// <summary>The entity's property that holds the plain value.</summary>
    public PropertyInfo Plain { get; }

    /// <summary>The entity's key, whose value names the row in the <see cref="EncryptionContext"/>.</summary>
    public IReadOnlyProperty Key { get; }

    public string Schema { get; }

    public string Table { get; }

    public string Column { get; }

    public string KeyColumn { get; }

    public EncryptionContext ContextFor(object rowKey) => new($"{Schema}.{Table}", Column, RowId(rowKey));

    /// <summary>The ciphertext of <paramref name="plain"/> (a string or byte[]) for the row with key <paramref name="rowKey"/>.</summary>
    public byte[] Encrypt(PersonalDataProtector protector, object plain, object rowKey)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.EncryptBytes(ToBytes(plain), ContextFor(rowKey));
    }

    /// <summary>The plain value (a string or byte[], as the property holds it) of <paramref name="cipher"/>.</summary>
    public object Decrypt(PersonalDataProtector protector, byte[] cipher, object rowKey)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var plain = protector.DecryptBytes(cipher, ContextFor(rowKey));
        return Plain.PropertyType == typeof(string) ? Encoding.UTF8.GetString(plain) : plain;
    }

    /// <summary>True when <paramref name="cipher"/> decrypts to <paramref name="plain"/>: the value did not change.</summary>
    public bool Holds(PersonalDataProtector protector, byte[] cipher, object plain, object rowKey)
    {
        ArgumentNullException.ThrowIfNull(protector);
        return protector.DecryptBytes(cipher, ContextFor(rowKey)).AsSpan().SequenceEqual(ToBytes(plain));
    }

    internal static EncryptedColumn For(IReadOnlyEntityType type, IReadOnlyProperty cipher)
    {
        var plainName = (string)cipher.FindAnnotation(EncryptedColumns.Annotation)!.Value!;
        var plain = type.ClrType.GetProperty(plainName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{type.DisplayName()} has no property {plainName}.");
        var key = type.FindPrimaryKey()?.Properties is [var single]
            ? single
            : throw new InvalidOperationException($"{type.DisplayName()} has encrypted columns, so its key must be a single column.");
        var table = type.GetTableName() ?? throw new InvalidOperationException($"{type.DisplayName()} is not mapped to a table.");
        var schema = type.GetSchema() ?? "public";
        var store = StoreObjectIdentifier.Table(table, schema);
        return new EncryptedColumn(cipher, plain, key, schema, table, cipher.GetColumnName(store)!, key.GetColumnName(store)!);
    }

    private static string RowId(object rowKey) => rowKey switch
    {
        Guid id => id.ToString("D"),
        string text => text,
        IFormattable value => value.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"A row key of type {rowKey.GetType().Name} cannot name a row.", nameof(rowKey)),
    };

    private static byte[] ToBytes(object plain) => plain switch
    {
        string text => Encoding.UTF8.GetBytes(text),
        byte[] bytes => bytes,
        _ => throw new ArgumentException("An encrypted column holds a string or byte[].", nameof(plain)),
    };
}
