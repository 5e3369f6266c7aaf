using System.Reflection;
using System.Xml.Linq;
using Closely.Cases;
using Closely.Contracts;
using Closely.Intake;

namespace Closely.UnitTests.Architecture;

/// <summary>
/// The platform's dependency rules (docs/adr/0006-service-boundaries.md): services meet only on the bus, so a service
/// references Contracts, ServiceDefaults and the shared building blocks, never another service (not even through a
/// building block); Contracts references nothing of ours. Read from the project files, and from the compiled
/// assemblies this test project has.
/// </summary>
public sealed class DependencyRuleTests
{
    private static readonly DirectoryInfo Root = FindRoot();

    /// <summary>Every project under services/, by folder name, with the folders of the projects it references.</summary>
    private static readonly IReadOnlyDictionary<string, Project> Projects = Directory
        .EnumerateFiles(Path.Combine(Root.FullName, "services"), "*.csproj", SearchOption.AllDirectories)
        .Select(Project.Load)
        .ToDictionary(p => p.Name);

    public static TheoryData<string> Services() => [.. ServiceNames()];

    [Fact]
    public void The_services_are_the_six_web_projects_and_the_rest_are_shared_libraries()
    {
        Assert.Equal(["Cases", "DataLocator", "ErasureExecutor", "Identity", "Intake", "Notification"], ServiceNames());
        Assert.Equal(["BuildingBlocks", "Contracts", "Stores"], Projects.Values.Where(p => !p.IsService).Select(p => p.Name).Order());
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void A_service_references_no_other_service_directly_or_through_a_shared_library(string service)
    {
        var others = ServiceNames().Where(name => name != service);

        Assert.DoesNotContain(Closure(service), name => others.Contains(name));
        Assert.All(Projects[service].References, name => Assert.True(
            name == "ServiceDefaults" || (Projects.TryGetValue(name, out var project) && !project.IsService),
            $"{service} references {name}: only Contracts, ServiceDefaults and shared building blocks are allowed"));
    }

    [Fact]
    public void Contracts_references_nothing_of_ours()
    {
        Assert.Empty(Projects["Contracts"].References);
        Assert.DoesNotContain(typeof(DsrReceived).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Closely.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_compiled_services_here_use_no_other_services_assembly()
    {
        string[] shared = ["Closely.Contracts", "Closely.BuildingBlocks", "Closely.Stores", "Closely.ServiceDefaults"];
        foreach (var assembly in new[] { typeof(CasesOptions).Assembly, typeof(IntakeOptions).Assembly })
        {
            var ours = assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Closely.", StringComparison.Ordinal));
            Assert.All(ours, name => Assert.Contains(name, shared));
        }
    }

    private static List<string> ServiceNames() => [.. Projects.Values.Where(p => p.IsService).Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>The projects under services/ that <paramref name="name"/> reaches through its references.</summary>
    private static HashSet<string> Closure(string name)
    {
        var reached = new HashSet<string>();
        var next = new Stack<string>([name]);
        while (next.TryPop(out var current))
        {
            if (Projects.TryGetValue(current, out var project))
            {
                foreach (var reference in project.References.Where(reached.Add))
                {
                    next.Push(reference);
                }
            }
        }

        return reached;
    }

    private static DirectoryInfo FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Closely.Platform.sln")))
        {
            directory = directory.Parent;
        }

        return directory ?? throw new InvalidOperationException("The repository root (Closely.Platform.sln) is not above " + AppContext.BaseDirectory);
    }

    private sealed record Project(string Name, bool IsService, IReadOnlyList<string> References)
    {
        /// <summary>A project by its folder name; a service is an ASP.NET Core app (Microsoft.NET.Sdk.Web).</summary>
        public static Project Load(string path)
        {
            var xml = XDocument.Load(path);
            var references = xml.Descendants("ProjectReference")
                .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, r.Attribute("Include")!.Value.Replace('\\', '/'))))!))
                .ToList();
            return new Project(
                Path.GetFileName(Path.GetDirectoryName(path)!),
                xml.Root!.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web",
                references);
        }
    }
}
