//! OCOP products and their batches, as the traceability API serves them
//! (`/api/v1/products/{gtin}`, `…/batches/{lot}`). Dates are `YYYY-MM-DD`;
//! times RFC 3339 with their offset.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::Text;

/// What kind of business a producer is (OCOP subjects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProducerKind {
    Enterprise,
    Cooperative,
    CooperativeGroup,
    Household,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Producer {
    pub id: String,
    pub name: Text,
    #[serde(alias = "type")]
    pub kind: ProducerKind,
    pub commune: String,
    pub province: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LatLon>,
}

/// The OCOP certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Certificate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub issued: String,
    pub expires: String,
    pub issuer: Text,
    /// Issued on or before today and not expired (computed by the server).
    #[serde(default)]
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Photo {
    /// Same origin, or absolute.
    pub url: String,
    pub alt: Text,
}

/// Where the product is sold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PointOfSale {
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LatLon>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    Active,
    Recalled,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Quantity {
    pub value: f64,
    /// UN/ECE rec. 20 unit, e.g. `KGM`, `H87` (pieces).
    pub uom: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchSummary {
    pub lot: String,
    pub produced: String,
    pub expires: String,
    pub status: BatchStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_reason: Option<Text>,
}

/// `GET /api/v1/products/{gtin}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Product {
    /// 14 digits.
    pub gtin: String,
    pub name: Text,
    /// OCOP group: `food`, `drinks`, `herbal`, `textiles`, `souvenirs`, `tourism`.
    pub group: String,
    /// OCOP stars, 3–5.
    pub stars: u8,
    pub certificate: Certificate,
    #[serde(default)]
    pub photos: Vec<Photo>,
    pub description: Text,
    pub ingredients: Text,
    pub shelf_life_days: u32,
    /// e.g. `500 g`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_content: Option<String>,
    #[serde(default)]
    pub points_of_sale: Vec<PointOfSale>,
    pub producer: Producer,
    /// Newest first.
    #[serde(default)]
    pub batches: Vec<BatchSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Place {
    pub name: Text,
    pub lat: f64,
    pub lon: f64,
}

/// One EPCIS event in plain terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct JourneyStep {
    /// RFC 3339 with the event's offset.
    pub time: String,
    /// CBV word (`commissioning`, `shipping`…); see [`biz_step_label`].
    pub biz_step: String,
    /// CBV word (`active`, `in_transit`…), empty when none.
    #[serde(default)]
    pub disposition: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// `ObjectEvent`, `TransformationEvent`…
    pub event_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProductSummary {
    pub gtin: String,
    pub name: Text,
    pub stars: u8,
    pub producer_name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Photo>,
}

/// `GET /api/v1/products/{gtin}/batches/{lot}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Batch {
    pub gtin: String,
    pub lot: String,
    pub produced: String,
    pub expires: String,
    pub quantity: Quantity,
    pub status: BatchStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_reason: Option<Text>,
    /// The expiry date is before today (computed by the server).
    #[serde(default)]
    pub expired: bool,
    /// In time order.
    pub journey: Vec<JourneyStep>,
    pub product: ProductSummary,
    /// The producer, with the contact the OCOP listing has (address, phone),
    /// for a shopper to reach them (a recall says to). Always sent by this
    /// server; absent only in answers saved before it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<Producer>,
}

/// `POST /api/v1/scans`: a product or batch page opened from a scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ScanEvent {
    pub gtin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
}

/// The CBV word of a bizStep or disposition written in any of its forms
/// (`shipping`, `urn:epcglobal:cbv:bizstep:shipping`,
/// `https://ref.gs1.org/cbv/BizStep-shipping`, `cbv:BizStep-shipping`).
pub fn cbv_word(s: &str) -> &str {
    let s = s.rsplit([':', '/']).next().unwrap_or(s);
    match s.split_once('-') {
        Some((kind, w)) if kind == "BizStep" || kind == "Disp" => w,
        _ => s,
    }
}

/// A CBV 2.0 business step in plain words, `en` or (otherwise) Vietnamese:
/// each step its own words (harvest, packing, shipping… never one label for
/// two steps). Accepts any form [`cbv_word`] does; unknown steps, and
/// `other`, get a neutral label.
pub fn biz_step_label(step: &str, lang: &str) -> &'static str {
    let (vi, en) = match cbv_word(step) {
        "commissioning" => ("Ghi nhận lô hàng", "Batch recorded"),
        "inspecting" => ("Kiểm định", "Inspection"),
        "packing" => ("Đóng gói", "Packing"),
        "unpacking" => ("Mở gói", "Unpacking"),
        "shipping" => ("Xuất hàng", "Shipping"),
        "receiving" => ("Nhận hàng", "Receiving"),
        "storing" => ("Lưu kho", "Storage"),
        "transporting" => ("Vận chuyển", "Transport"),
        "loading" => ("Bốc hàng lên xe", "Loading"),
        "unloading" => ("Dỡ hàng", "Unloading"),
        "retail_selling" => ("Bày bán", "On sale"),
        "repackaging" => ("Đóng gói lại", "Repackaging"),
        "sampling" => ("Lấy mẫu", "Sampling"),
        "sensor_reporting" => ("Ghi nhận cảm biến", "Sensor reading"),
        "accepting" => ("Tiếp nhận", "Accepting"),
        "arriving" => ("Hàng đến", "Arrival"),
        "departing" => ("Rời đi", "Departure"),
        "assembling" => ("Lắp ráp", "Assembly"),
        "creating_class_instance" => ("Làm ra thành phẩm", "Finished goods made"),
        "cycle_counting" => ("Kiểm đếm định kỳ", "Cycle count"),
        "stock_taking" => ("Kiểm kê kho", "Stock-taking"),
        "stocking" => ("Xếp hàng lên kệ", "Shelf stocking"),
        "destroying" => ("Tiêu hủy", "Destruction"),
        "disassembling" => ("Tháo rời", "Disassembly"),
        "dispensing" => ("Xuất cấp", "Dispensing"),
        "encoding" => ("Gắn mã", "Encoding"),
        "entering_exiting" => ("Ra vào", "Entry / exit"),
        "holding" => ("Tạm giữ", "Holding"),
        "installing" => ("Lắp đặt", "Installation"),
        "killing" => ("Vô hiệu mã", "Code retired"),
        "picking" => ("Lấy hàng", "Picking"),
        "removing" => ("Tháo ra", "Removal"),
        "collecting" => ("Thu gom", "Collection"),
        "consigning" => ("Ký gửi", "Consignment"),
        "decommissioning" => ("Ngừng sử dụng", "Decommissioning"),
        "staging_outbound" => ("Chuẩn bị xuất", "Staging for shipment"),
        "void_shipping" => ("Hủy xuất hàng", "Shipment cancelled"),
        "reserving" => ("Đặt giữ", "Reserving"),
        "replacing" => ("Thay thế", "Replacement"),
        "repairing" => ("Sửa chữa", "Repair"),
        "returning" => ("Trả hàng", "Return"),
        // Not CBV words, met in other systems' data.
        "sensor_reading" => ("Ghi nhận cảm biến", "Sensor reading"),
        "farmharvest" => ("Thu hoạch", "Harvest"),
        _ => ("Bước khác", "Other step"),
    };
    if lang == "en" {
        en
    } else {
        vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(biz_step_label("commissioning", "vi"), "Ghi nhận lô hàng");
        assert_eq!(biz_step_label("commissioning", "en"), "Batch recorded");
        assert_eq!(biz_step_label("packing", "vi"), "Đóng gói");
        assert_eq!(
            biz_step_label("urn:epcglobal:cbv:bizstep:shipping", "vi"),
            "Xuất hàng"
        );
        assert_eq!(
            biz_step_label("https://ref.gs1.org/cbv/BizStep-retail_selling", "vi"),
            "Bày bán"
        );
        assert_eq!(biz_step_label("cbv:BizStep-inspecting", "vi"), "Kiểm định");
        assert_eq!(
            biz_step_label("urn:gdst:bizstep:farmharvest", "vi"),
            "Thu hoạch"
        );
        assert_eq!(biz_step_label("dancing", "en"), "Other step");
        assert_eq!(
            cbv_word("https://ref.gs1.org/cbv/Disp-in_transit"),
            "in_transit"
        );
        assert_eq!(cbv_word("in_progress"), "in_progress");
    }

    /// Every CBV 2.0 business step has words of its own, in both languages.
    #[test]
    fn each_step_its_own_words() {
        const CBV: &[&str] = &[
            "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
            "creating_class_instance", "cycle_counting", "decommissioning", "departing",
            "destroying", "disassembling", "dispensing", "encoding", "entering_exiting",
            "holding", "inspecting", "installing", "killing", "loading", "packing", "picking",
            "receiving", "removing", "repackaging", "repairing", "replacing", "reserving",
            "retail_selling", "sampling", "sensor_reporting", "shipping", "staging_outbound",
            "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking",
            "void_shipping",
        ];
        for lang in ["vi", "en"] {
            let other = biz_step_label("other", lang);
            let mut seen = std::collections::HashMap::new();
            for step in CBV {
                let label = biz_step_label(step, lang);
                assert_ne!(label, other, "{step} has no words in {lang}");
                if let Some(before) = seen.insert(label, step) {
                    panic!("{before} and {step} share \"{label}\" in {lang}");
                }
            }
        }
    }

    #[test]
    fn enums_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&ProducerKind::CooperativeGroup).unwrap(),
            "\"cooperative_group\""
        );
        assert_eq!(
            serde_json::to_string(&BatchStatus::Recalled).unwrap(),
            "\"recalled\""
        );
    }
}

/// A UN/ECE Recommendation 20 unit code as people read it (`KGM` → "kg").
pub fn uom_label(code: &str, lang: &str) -> String {
    let en = lang == "en";
    match code {
        "KGM" => "kg".into(),
        "GRM" => "g".into(),
        "TNE" => if en { "t" } else { "tấn" }.into(),
        "LTR" => if en { "L" } else { "lít" }.into(),
        "MLT" => "ml".into(),
        "H87" | "EA" | "C62" => if en { "items" } else { "sản phẩm" }.into(),
        other => other.to_string(),
    }
}
