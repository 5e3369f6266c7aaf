using Closely.BuildingBlocks.Persistence;
using Closely.Cases;
using Closely.Cases.DpoConsole;
using Closely.Cases.Persistence;

if (PasswordHashCommand.TryRun(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCasesServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCasesConsole();

await app.RunOrMigrateAsync<CasesDbContext>(args);
