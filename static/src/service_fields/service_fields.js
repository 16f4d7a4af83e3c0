import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { formatFloat } from "@web/views/fields/formatters";
import { FloatField, floatField } from "@web/views/fields/float/float_field";

/**
 * A service line's unit price: for a percentage discount it is a
 * percentage, and reads so ("10 %"), not as a price ("10,00").
 */
export class IspServicePriceField extends FloatField {
    static template = "isp_sales_desk.ServicePriceField";

    get isPercent() {
        return this.props.record.data.discount_type === "percent";
    }

    get formattedValue() {
        if (!this.isPercent) {
            return super.formattedValue;
        }
        return formatFloat(this.value, { digits: [16, 2], trailingZeros: false });
    }
}

export const ispServicePriceField = {
    ...floatField,
    component: IspServicePriceField,
    displayName: _t("Service price"),
    fieldDependencies: [{ name: "discount_type", type: "selection" }],
};

/**
 * A latitude or a longitude of a place that may have no point yet: blank
 * until there is one, rather than 0,0000000 (the other coordinate of the pair
 * is the field named in ``pair_field``, by default the other of
 * latitude/longitude).
 */
export class IspCoordinateField extends FloatField {
    static props = { ...FloatField.props, pairField: { type: String, optional: true } };

    get pairField() {
        return (
            this.props.pairField || (this.props.name === "latitude" ? "longitude" : "latitude")
        );
    }

    get formattedValue() {
        const data = this.props.record.data;
        if (!data[this.props.name] && !data[this.pairField]) {
            return "";
        }
        return super.formattedValue;
    }
}

export const ispCoordinateField = {
    ...floatField,
    component: IspCoordinateField,
    displayName: _t("Coordinate"),
    extractProps: (fieldInfo, dynamicInfo) => ({
        ...floatField.extractProps(fieldInfo, dynamicInfo),
        pairField: fieldInfo.options.pair_field,
    }),
};

registry.category("fields").add("isp_service_price", ispServicePriceField);
registry.category("fields").add("isp_coordinate", ispCoordinateField);
