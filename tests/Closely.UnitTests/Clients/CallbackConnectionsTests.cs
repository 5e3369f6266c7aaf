using System.Net;
using Closely.BuildingBlocks.Web;
using Closely.Intake.Clients;

namespace Closely.UnitTests.Clients;

public sealed class CallbackConnectionsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")] // a cloud's metadata service
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    public void A_loopback_private_link_local_or_reserved_address_is_not_public(string address) =>
        Assert.True(CallbackConnections.IsNotPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void A_public_unicast_address_is_public(string address) =>
        Assert.False(CallbackConnections.IsNotPublic(IPAddress.Parse(address)));
}

public sealed class ClientAddressPartitionTests
{
    [Fact]
    public void Ipv6_addresses_of_one_64_share_a_partition_and_another_64_has_its_own()
    {
        var first = ClientAddressRateLimit.PartitionKey(IPAddress.Parse("2001:db8:1:2::1"));
        Assert.Equal(first, ClientAddressRateLimit.PartitionKey(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:fffe")));
        Assert.NotEqual(first, ClientAddressRateLimit.PartitionKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("2001:db8:1:2::/64", first);
    }

    [Fact]
    public void Ipv4_addresses_count_one_by_one_also_when_mapped_into_ipv6()
    {
        Assert.Equal("192.0.2.7", ClientAddressRateLimit.PartitionKey(IPAddress.Parse("192.0.2.7")));
        Assert.Equal("192.0.2.7", ClientAddressRateLimit.PartitionKey(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.NotEqual(ClientAddressRateLimit.PartitionKey(IPAddress.Parse("192.0.2.8")), ClientAddressRateLimit.PartitionKey(IPAddress.Parse("192.0.2.7")));
    }
}
