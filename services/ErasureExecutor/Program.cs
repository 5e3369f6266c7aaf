using Closely.BuildingBlocks.Persistence;
using Closely.ErasureExecutor;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddErasureExecutorServices();

var app = builder.Build();

app.MapDefaultEndpoints();

await app.RunOrMigrateAsync(args);
