"""Worked example: compute a Grad-CAM map in PyTorch and push it to Sightline with the model's description.

Needs torch, torchvision, pytorch-grad-cam (`pip install grad-cam`) and Pillow on top of the client's
requests + numpy; the Sightline tests don't run this file. Usage:

    python example_gradcam_push.py --server http://127.0.0.1:8080 --token sl_… --project <project id> \
        --image astronaut.png --prompt "Describe" --keyword astronaut --class-index 812

The image file must be the same picture that was uploaded to the project (same file name), because regions
are drawn in its pixel space; the CAM may have any resolution (the server resizes it exactly like
pytorch-grad-cam's ``scale_cam_image``).
"""

import argparse
import time

import numpy as np

from sightline_client import SightlineClient


def compute_gradcam(image_path: str, class_index: int) -> np.ndarray:
    import torch
    from PIL import Image
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    from torchvision import models, transforms

    model = models.resnet50(weights=models.ResNet50_Weights.DEFAULT).eval()
    preprocess = transforms.Compose([
        transforms.Resize((224, 224)),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    tensor = preprocess(Image.open(image_path).convert("RGB")).unsqueeze(0)
    with GradCAM(model=model, target_layers=[model.layer4[-1]]) as cam:
        grayscale = cam(input_tensor=tensor, targets=[ClassifierOutputTarget(class_index)])
    return grayscale[0]  # (224, 224) float32 in [0, 1]; Sightline accepts any size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--project", required=True)
    parser.add_argument("--image", required=True, help="path of the image; its file name must exist in the project")
    parser.add_argument("--prompt", required=True, help="prompt name (or prompt-version id)")
    parser.add_argument("--prompt-text", help="creates the prompt (or a new version) when given")
    parser.add_argument("--keyword", required=True, help="region label the heatmap is for, e.g. astronaut")
    parser.add_argument("--class-index", type=int, required=True)
    parser.add_argument("--description", default="", help="the vision-language model's answer")
    args = parser.parse_args()

    started = time.monotonic()
    cam = compute_gradcam(args.image, args.class_index)
    latency = (time.monotonic() - started) * 1000

    client = SightlineClient(args.server, token=args.token, project_id=args.project)
    run = client.upload_run(
        prompt=args.prompt, prompt_text=args.prompt_text, image=args.image.rsplit("/", 1)[-1],
        description=args.description or None, heatmaps={args.keyword: cam}, model="resnet50-gradcam",
        latency_ms=latency)
    diagnosis = run["diagnosis"]
    print("verdict:", diagnosis["verdict"])
    for label, entry in diagnosis["attention_diagnosis"].items():
        print(f"  {label}: {entry['verdict']} drift={entry['drift']} concentration={entry['concentration_score']}")
    if diagnosis["prompt_suggestion"]:
        print("suggestion:", diagnosis["prompt_suggestion"])
    print(f"{args.server}/projects/{args.project}/runs/{run['id']}")


if __name__ == "__main__":
    main()
