using Closely.BuildingBlocks.Persistence;
using Closely.DataLocator;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDataLocatorServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync(args);
