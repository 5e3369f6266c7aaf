using System.Diagnostics;
using System.Globalization;
using Closely.Stores.Samples;

// Creates and seeds the three local sample stores on the server of CLOSELY_STORES_ADMIN (a connection
// string of a role with CREATEDB).
//   seed  [--people N]   create each store database if missing and seed it, unless seeded before
//   reset [--people N]   drop each store database, create and seed it again
const int DefaultPeople = 100_000;

if (args is not [("seed" or "reset") and var command, ..] || !TryPeople(args[1..], out var people))
{
    await Console.Error.WriteLineAsync("usage: Closely.SampleStores seed|reset [--people N]   (default N = 100000)");
    return 2;
}

var admin = Environment.GetEnvironmentVariable("CLOSELY_STORES_ADMIN");
if (string.IsNullOrWhiteSpace(admin))
{
    await Console.Error.WriteLineAsync("CLOSELY_STORES_ADMIN (a PostgreSQL connection string of a role with CREATEDB) is not set.");
    return 2;
}

foreach (var store in SampleStores.All)
{
    var clock = Stopwatch.StartNew();
    var connectionString = await SampleStoreSeeder.EnsureDatabaseAsync(admin, store.Database, reset: command == "reset", CancellationToken.None);
    var seeded = await SampleStoreSeeder.SeedAsync(connectionString, store, people, SampleStoreSeeder.DefaultSeed, CancellationToken.None);
    Console.WriteLine(seeded
        ? $"{store.Database}: seeded {people} people in {clock.Elapsed.TotalSeconds:0.0} s"
        : $"{store.Database}: seeded before; left as it is (use reset to start again)");
}

return 0;

static bool TryPeople(string[] options, out int people)
{
    people = DefaultPeople;
    return options switch
    {
        [] => true,
        ["--people", var value] => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out people) && people > 0,
        _ => false,
    };
}
