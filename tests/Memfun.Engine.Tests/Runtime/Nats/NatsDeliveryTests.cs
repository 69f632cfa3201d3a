using Memfun.Engine.Runtime.Nats;

namespace Memfun.Engine.Tests.Runtime.Nats;

/// <summary>Reading what JetStream puts in a delivered message's reply subject, in both of its layouts.</summary>
public sealed class NatsDeliveryTests
{
    [Fact]
    public void The_classic_layout_gives_the_sequence_the_delivery_count_and_the_time_stored()
    {
        Assert.True(NatsDelivery.TryParse("$JS.ACK.M_TASKS.work_p1.3.1042.77.1764111600123456789.12", out var d));

        Assert.Equal(1042UL, d.StreamSequence);
        Assert.Equal(3, d.Delivered);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764111600123).AddTicks(4567), d.Stored);
    }

    [Fact]
    public void The_layout_with_a_domain_and_an_account_hash_is_read_too()
    {
        Assert.True(NatsDelivery.TryParse("$JS.ACK.hub.ACCHASH.M_TASKS.work_p0.1.9.9.1764111600000000000.0.rnd", out var d));
        Assert.Equal((9UL, 1), (d.StreamSequence, d.Delivered));

        Assert.True(NatsDelivery.TryParse("$JS.ACK.hub.ACCHASH.M_TASKS.work_p0.2.10.10.1764111600000000000.0", out d));
        Assert.Equal((10UL, 2), (d.StreamSequence, d.Delivered));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("_INBOX.abc.def")]
    [InlineData("$JS.ACK.too.short")]
    [InlineData("$JS.ACK.S.C.x.1042.77.1764111600123456789.12")]
    [InlineData("$JS.ACK.S.C.3.1042.77.-5.12")]
    [InlineData("$JS.ACK.a.b.c.d.e.f.g.h.i.j.k.l.m")]
    public void Anything_else_is_refused(string? replyTo)
    {
        Assert.False(NatsDelivery.TryParse(replyTo, out _));
    }
}
