using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Encrypts the plain properties of <see cref="EncryptedColumns"/> into their columns before a save (when new,
/// or when the value changed) and decrypts them into the entity when a row is read. One instance serves every
/// context (EF Core keeps materialization interceptors with its internal services); it uses the protector of the
/// context at hand (<see cref="IEncryptingDbContext"/>).
/// </summary>
public sealed class EncryptedColumnsInterceptor : SaveChangesInterceptor, IMaterializationInterceptor
{
    public static EncryptedColumnsInterceptor Instance { get; } = new();

    private EncryptedColumnsInterceptor()
    {
    }

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var columns = EncryptedColumns.Of(materializationData.EntityType);
        if (columns.Count == 0)
        {
            return entity;
        }

        var protector = ProtectorOf(materializationData.Context);
        foreach (var column in columns)
        {
            var cipher = materializationData.GetPropertyValue<byte[]?>(column.Cipher.Name);
            var key = materializationData.GetPropertyValue(column.Key.Name)!;
            column.Plain.SetValue(entity, cipher is null ? null : column.Decrypt(protector, cipher, key));
        }

        return entity;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Encrypt(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        Encrypt(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Encrypt(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries())
        {
            var columns = EncryptedColumns.Of(entry.Metadata);
            if (columns.Count == 0 || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Unchanged))
            {
                continue;
            }

            var protector = ProtectorOf(context);
            var key = entry.Property(columns[0].Key.Name).CurrentValue!;
            foreach (var column in columns)
            {
                var plain = column.Plain.GetValue(entry.Entity);
                var stored = entry.Property(column.Cipher.Name);
                var cipher = (byte[]?)stored.CurrentValue;
                var unchanged = plain is null
                    ? cipher is null
                    : entry.State != EntityState.Added && cipher is not null && column.Holds(protector, cipher, plain, key);
                if (!unchanged)
                {
                    stored.CurrentValue = plain is null ? null : column.Encrypt(protector, plain, key);
                }
            }
        }
    }

    private static PersonalDataProtector ProtectorOf(DbContext context) =>
        context is IEncryptingDbContext encrypting
            ? encrypting.Protector
            : throw new InvalidOperationException($"{context.GetType().Name} has encrypted columns: it must implement {nameof(IEncryptingDbContext)}.");
}
