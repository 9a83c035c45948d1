using System.Collections.Immutable;
using B2BTrade.Domain.Catalog;
using B2BTrade.Domain.Common;
using B2BTrade.Domain.Negotiation;
using B2BTrade.Domain.Orders;

namespace B2BTrade.Domain.Tests.Orders;

public sealed class OrderRulesTests
{
    // 2026-12-06 10:00 in China.
    private static readonly DateTimeOffset s_now = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly s_today = new(2026, 12, 6);

    private static OrderDetailsInput Input(DateOnly? date = null, string phone = "13800138000", string invoicePhone = "021-58881234", string taxNumber = "91350100M000100Y43") => new(
        date ?? s_today.AddDays(10),
        new DeliveryAddress("江苏省", "苏州市", "张家港市", "锦丰镇沙钢大道 1 号", "张三", phone),
        TransportMode.Road,
        null,
        new InvoiceDetails("江苏测试买方有限公司", taxNumber, "中国工商银行张家港支行", "1102 0203 0900 0123 456", "江苏省张家港市锦丰镇", invoicePhone),
        "  请提前一天电话联系  ");

    private static string[] Fields(Action act) => [.. Assert.Throws<DomainException>(act).Violations.Select(v => v.Field)];

    [Fact]
    public void DetailsAreNormalisedAndRegisteredPhonesAreAccepted()
    {
        var details = OrderRules.ValidateDetails(Input(phone: "+86 138-0013-8000", invoicePhone: "008613900139000"), null, FreightBearer.Buyer, s_now);
        Assert.Equal("13800138000", details.Address.ContactPhone);
        Assert.Equal("13900139000", details.Invoice.Phone);
        Assert.Equal("1102020309000123456", details.Invoice.BankAccount);
        Assert.Equal("请提前一天电话联系", details.Remarks);
        Assert.Equal(FreightBearer.Buyer, details.FreightBearer);
        Assert.Equal("江苏省苏州市张家港市锦丰镇沙钢大道 1 号", details.Address.OneLine);
    }

    [Fact]
    public void BadDetailsNameEveryField()
    {
        Assert.Equal(["details.delivery_date"], Fields(() => OrderRules.ValidateDetails(Input(date: s_today.AddDays(-1)), null, FreightBearer.Buyer, s_now)));
        Assert.Equal(["details.delivery_date"], Fields(() => OrderRules.ValidateDetails(Input(date: s_today.AddYears(1).AddDays(1)), null, FreightBearer.Buyer, s_now)));
        Assert.Equal(["details.delivery_address.contact_phone"], Fields(() => OrderRules.ValidateDetails(Input(phone: "+1 415 555 0100"), null, FreightBearer.Buyer, s_now)));
        Assert.Equal(["details.invoice.tax_number"], Fields(() => OrderRules.ValidateDetails(Input(taxNumber: "91350100M000100Y44"), null, FreightBearer.Buyer, s_now)));
        var nothing = new OrderDetailsInput(null, null, null, null, null, null);
        Assert.Equal(["details.delivery_date", "details.transport_mode", "details.delivery_address", "details.invoice"], Fields(() => OrderRules.ValidateDetails(nothing, null, FreightBearer.Buyer, s_now)));
    }

    [Fact]
    public void APreviewNeedsOnlyWhatChangesThePrice()
    {
        var partial = new OrderDetailsInput(s_today.AddDays(3), new DeliveryAddress("上海市", "", "", "", "", ""), TransportMode.Road, null, null, null);
        var priced = OrderRules.ValidateDetails(partial, null, FreightBearer.Buyer, s_now, priceOnly: true);
        Assert.Equal("上海市", priced.Address.Province);
        Assert.Contains("details.invoice", Fields(() => OrderRules.ValidateDetails(partial, null, FreightBearer.Buyer, s_now)));
        // A field that is given is still checked, and the province is always required.
        var badPhone = partial with { Address = partial.Address! with { ContactPhone = "12345" } };
        Assert.Equal(["details.delivery_address.contact_phone"], Fields(() => OrderRules.ValidateDetails(badPhone, null, FreightBearer.Buyer, s_now, priceOnly: true)));
        var noProvince = partial with { Address = partial.Address! with { Province = "" } };
        Assert.Equal(["details.delivery_address.province"], Fields(() => OrderRules.ValidateDetails(noProvince, null, FreightBearer.Buyer, s_now, priceOnly: true)));
    }

    [Fact]
    public void AnOrderFromANegotiationKeepsTheAgreedDateAndTransport()
    {
        var agreed = new Terms { Quantity = Tonnes.Parse("100", "q"), UnitPrice = 3650m, DeliveryDate = s_today.AddDays(20), Transport = TransportMode.Rail };
        var filled = OrderRules.ValidateDetails(Input() with { DeliveryDate = null, Transport = null }, agreed, FreightBearer.Buyer, s_now);
        Assert.Equal((s_today.AddDays(20), TransportMode.Rail), (filled.DeliveryDate, filled.Transport));
        Assert.Equal(["details.delivery_date", "details.transport_mode"], Fields(() => OrderRules.ValidateDetails(Input(), agreed, FreightBearer.Buyer, s_now)));
    }

    [Fact]
    public void ApprovalIsNeededOnlyAboveAPurchasersLimit()
    {
        Assert.True(OrderRules.NeedsApproval(new OrderPlacer("u_p", "采购", false, 50_000m), 50_000.01m));
        Assert.False(OrderRules.NeedsApproval(new OrderPlacer("u_p", "采购", false, 50_000m), 50_000m));
        Assert.False(OrderRules.NeedsApproval(new OrderPlacer("u_p", "采购", false, null), 9_999_999m));
        Assert.False(OrderRules.NeedsApproval(new OrderPlacer("u_a", "管理员", true, 1m), 9_999_999m));
    }

    [Fact]
    public void TheStatusMachineAllowsOnlyItsSteps()
    {
        var placer = new OrderPlacer("u_p", "采购", false, 1000m);
        var order = Place(placer);
        Assert.Equal(OrderStatus.PendingApproval, order.Status);
        Assert.Equal(s_now + TimeSpan.FromHours(72), order.ConfirmBy);

        Assert.Equal(ErrorKind.PermissionDenied, Assert.Throws<DomainException>(() => OrderRules.Approve(order, "u_p", "采购", null, s_now)).Kind); // not one's own order
        Assert.Equal("ORDER_STATUS_CONFLICT", Assert.Throws<DomainException>(() => OrderRules.Confirm(order, "u_s", "销售", "ctr_x", s_now)).Reason);
        var approved = OrderRules.Approve(order, "u_admin", "管理员", "同意", s_now);
        Assert.Equal(OrderStatus.PendingConfirmation, approved.Status);

        Assert.Equal("REQUIRED", Assert.Throws<DomainException>(() => OrderRules.Reject(approved, "u_s", "销售", " ", s_now)).Reason);
        var confirmed = OrderRules.Confirm(approved, "u_s", "销售", "ctr_x", s_now);
        Assert.Equal(("ctr_x", OrderStatus.Confirmed), (confirmed.ContractId, confirmed.Status));
        Assert.Equal("ORDER_NOT_CANCELLABLE", Assert.Throws<DomainException>(() => OrderRules.Cancel(confirmed, "u_p", "采购", null, s_now)).Reason);
        Assert.Same(confirmed, OrderRules.Expire(confirmed, s_now.AddDays(10)));
        var effective = OrderRules.ContractEffective(confirmed, s_now);
        Assert.Equal(
            [OrderStatus.PendingApproval, OrderStatus.PendingConfirmation, OrderStatus.Confirmed, OrderStatus.ContractEffective],
            effective.History.Select(e => e.Status).ToArray());

        // The deadline: not a moment early, and a late confirmation is refused.
        Assert.Same(approved, OrderRules.Expire(approved, approved.ConfirmBy.AddSeconds(-1)));
        Assert.Equal(OrderStatus.Expired, OrderRules.Expire(approved, approved.ConfirmBy).Status);
        Assert.Equal("CONFIRMATION_DEADLINE_PASSED", Assert.Throws<DomainException>(() => OrderRules.Confirm(approved, "u_s", "销售", "ctr_x", approved.ConfirmBy)).Reason);
    }

    private static OrderState Place(OrderPlacer placer)
    {
        var details = OrderRules.ValidateDetails(Input(), null, FreightBearer.Buyer, s_now);
        var price = OrderPricing.Price(new PricingRequest
        {
            Lines = [new PricingLine("lst_a", "螺纹钢", ImmutableSortedDictionary<string, string>.Empty, Tonnes.Parse("30", "q"), 3650m, 13m)],
            PricesIncludeTax = true,
            PriceBasis = DeliveryTerm.ExWorks,
            RequestedBearer = FreightBearer.BuyerCollects,
            Payment = new PaymentTerms(0, BalanceTiming.BeforeDelivery),
        });
        return OrderRules.Place("ord_a", "fp", new OrderParties("ent_b", "买方", "ent_s", "卖方"), null, null, details, price, "GB/T 1499.2-2018", WeightBasis.Theoretical,
            [new StockReservation("lst_a", Tonnes.Parse("30", "q"))], placer, s_now, OrderRules.DefaultConfirmationWindow);
    }
}
