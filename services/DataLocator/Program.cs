using Closely.BuildingBlocks.Persistence;
using Closely.DataLocator;
using Closely.DataLocator.Persistence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDataLocatorServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync<DataLocatorDbContext>(args);
