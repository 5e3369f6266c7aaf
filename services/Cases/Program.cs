using Closely.BuildingBlocks.Persistence;
using Closely.Cases;
using Closely.Cases.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCasesServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync<CasesDbContext>(args);
